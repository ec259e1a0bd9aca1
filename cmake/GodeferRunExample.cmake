# Run one example, show its output, and compare its stdout and exit code with the golden file.
#
#   cmake -DEXE=<program> -DGOLDEN=<examples/golden/NAME.out> [-DEXIT_CODE=<n>] [-DACTUAL=<file>]
#         -P GodeferRunExample.cmake
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

if("$ENV{GODEFER_UPDATE_GOLDEN}")
  file(WRITE "${GOLDEN}" "${out}")
  message("updated ${GOLDEN}")
elseif(NOT EXISTS "${GOLDEN}")
  string(APPEND problems "no golden file ${GOLDEN} (run with GODEFER_UPDATE_GOLDEN=1 to create it)\n")
else()
  file(READ "${GOLDEN}" golden)
  if(NOT out STREQUAL golden)
    string(APPEND problems "stdout differs from ${GOLDEN}\n")
    find_program(DIFF_PROGRAM diff)
    if(DIFF_PROGRAM)
      execute_process(COMMAND "${DIFF_PROGRAM}" -u "${GOLDEN}" "${ACTUAL}"
        OUTPUT_VARIABLE diff_out ERROR_VARIABLE diff_out)
      message("---- ${name}: diff golden -> actual ----\n${diff_out}")
    else()
      message("---- ${name}: expected ----\n${golden}")
    endif()
  endif()
endif()

if(problems)
  message(FATAL_ERROR "example ${name} FAILED:\n${problems}")
endif()
message("example ${name}: output matches ${GOLDEN}")
