# Run one example, show its output, and compare its stdout and exit code with the golden file.
#
#   cmake -DEXE=<program> -DGOLDEN=<examples/golden/NAME.out> [-DEXIT_CODE=<n>] [-DACTUAL=<file>]
#         [-DGOLDEN_REPORT=<examples/golden/NAME.err>] -P GodeferRunExample.cmake
#
# With GOLDEN_REPORT, the stable lines of the crash report on stderr are compared too: the
# `panic: ...` lines (later ones start with a tab), `goroutine N [running]:` and
# `fatal error: ...`. The panic site and the stack frames (paths, addresses) are not compared.
#
# On a mismatch it prints a unified diff (golden -> actual) and fails. To accept a new output
# after a deliberate change, run the test with GODEFER_UPDATE_GOLDEN=1 in the environment: the
# golden file is rewritten from the actual output (review the change before committing it).
cmake_minimum_required(VERSION 3.21)

foreach(var EXE GOLDEN)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "GodeferRunExample: ${var} is not set")
  endif()
endforeach()
if(NOT DEFINED EXIT_CODE)
  set(EXIT_CODE 0)
endif()
get_filename_component(name "${GOLDEN}" NAME_WE)
if(NOT DEFINED ACTUAL)
  set(ACTUAL "${CMAKE_CURRENT_BINARY_DIR}/${name}.actual.out")
endif()

execute_process(COMMAND "${EXE}"
  RESULT_VARIABLE code
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
file(WRITE "${ACTUAL}" "${out}")

# Show what the example printed (stdout, then stderr if any).
message("---- ${name}: stdout ----\n${out}")
if(NOT err STREQUAL "")
  message("---- ${name}: stderr ----\n${err}")
endif()
message("---- ${name}: exit code ${code} ----")

set(problems "")
if(NOT code STREQUAL "${EXIT_CODE}")
  string(APPEND problems "exit code ${code}, expected ${EXIT_CODE}\n")
endif()

# compare(<what> <golden file> <actual file> <actual text>): appends to `problems` on a mismatch.
function(compare what golden_file actual_file actual)
  if("$ENV{GODEFER_UPDATE_GOLDEN}")
    file(WRITE "${golden_file}" "${actual}")
    message("updated ${golden_file}")
    return()
  endif()
  if(NOT EXISTS "${golden_file}")
    set(problems "${problems}no golden file ${golden_file} (run with GODEFER_UPDATE_GOLDEN=1 to create it)\n"
      PARENT_SCOPE)
    return()
  endif()
  file(READ "${golden_file}" golden)
  if(NOT actual STREQUAL golden)
    set(problems "${problems}${what} differs from ${golden_file}\n" PARENT_SCOPE)
    find_program(DIFF_PROGRAM diff)
    if(DIFF_PROGRAM)
      execute_process(COMMAND "${DIFF_PROGRAM}" -u "${golden_file}" "${actual_file}"
        OUTPUT_VARIABLE diff_out ERROR_VARIABLE diff_out)
      message("---- ${name}: ${what}: diff golden -> actual ----\n${diff_out}")
    else()
      message("---- ${name}: ${what}: expected ----\n${golden}")
    endif()
  endif()
endfunction()

compare("stdout" "${GOLDEN}" "${ACTUAL}" "${out}")

if(DEFINED GOLDEN_REPORT)
  # Keep the stable lines of stderr, one at a time (no list splitting: lines may hold `;`).
  set(report "")
  set(rest "${err}")
  while(NOT rest STREQUAL "")
    string(FIND "${rest}" "\n" nl)
    if(nl EQUAL -1)
      set(line "${rest}")
      set(rest "")
    else()
      string(SUBSTRING "${rest}" 0 ${nl} line)
      math(EXPR nl "${nl} + 1")
      string(SUBSTRING "${rest}" ${nl} -1 rest)
    endif()
    if(line MATCHES "^\t?panic: " OR line MATCHES "^goroutine [0-9]+ \\[running\\]:$"
       OR line MATCHES "^fatal error: ")
      string(APPEND report "${line}\n")
    endif()
  endwhile()
  message("---- ${name}: stderr lines compared ----\n${report}")
  file(WRITE "${ACTUAL}.report" "${report}")
  compare("the crash report on stderr" "${GOLDEN_REPORT}" "${ACTUAL}.report" "${report}")
endif()

if(problems)
  message(FATAL_ERROR "example ${name} FAILED:\n${problems}")
endif()
if(DEFINED GOLDEN_REPORT)
  message("example ${name}: output matches ${GOLDEN} and ${GOLDEN_REPORT}")
else()
  message("example ${name}: output matches ${GOLDEN}")
endif()
