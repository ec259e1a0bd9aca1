# GodeferRunCompare.cmake: runs one program and compares what it did with its expected file. The
# one run-and-compare script of the project: the conformance suite, Go's upstream tests, the
# examples and the adversarial programs all use it.
#
#   cmake -DPROGRAM=<executable> -DEXPECTED=<NAME.expected> [-DWORK_DIR=<dir>] [-DTIMEOUT=<s>]
#         [-DNO_LEAK_CHECK=ON] [-DSHOW=ON] [-DSTDERR_PREFIX_HEX=<hex>]
#         [-DWHOLE_STDERR=ON [-DSOURCE_DIR=<dir>]] -P GodeferRunCompare.cmake
#
# WHOLE_STDERR compares every line of stderr (a whole crash report with its stack trace), with
# SOURCE_DIR written as $SRC in it; a missing expected file then means "no expected report for
# this compiler": the script prints "godefer-skip:" (give the test that SKIP_REGULAR_EXPRESSION).
#
# SHOW prints what the program wrote even when it matches (the examples do). STDERR_PREFIX_HEX
# checks that the raw bytes of stderr begin with these (hex, so that a NUL byte can be expected).
# With GODEFER_UPDATE_GOLDEN=1 in the environment the expected file is rewritten from what the
# program did (its comment lines kept): review the change before committing it.
#
# The expected file (see tests/conformance/expected/README.md):
#   # comment lines (deviations from go1.19 are named there)
#   exit_code: <n>
#   stderr_also: <regex>        optional: one more kind of stderr line to compare
#   --- stdout ---
#   <exact stdout>
#   --- stderr ---
#   <the filtered stderr lines>
#   --- end ---
#
# stderr is filtered before the comparison: only the `panic: ...` lines (with their leading tab),
# the blank line that ends a panic block, `goroutine <id> [running]:` (ids other than 1 become N)
# and `fatal error: ...` lines are kept; hex numbers of 5 or more digits become 0xADDR. Stack
# frames are never compared. The test fails on any difference in exit code, stdout or the kept
# stderr lines, and prints a diff.
cmake_minimum_required(VERSION 3.21)

foreach(var PROGRAM EXPECTED)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "GodeferRunCompare.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 60)
endif()
get_filename_component(name "${EXPECTED}" NAME_WE)
if(NOT DEFINED WORK_DIR)
  set(WORK_DIR "${CMAKE_CURRENT_BINARY_DIR}")
endif()
file(MAKE_DIRECTORY "${WORK_DIR}")

# --- The expected file ------------------------------------------------------------------------
if(WHOLE_STDERR AND NOT EXISTS "${EXPECTED}" AND NOT "$ENV{GODEFER_UPDATE_GOLDEN}")
  message("godefer-skip: ${name}: no expected file ${EXPECTED} for this compiler")
  return()
endif()
if(NOT EXISTS "${EXPECTED}" AND "$ENV{GODEFER_UPDATE_GOLDEN}")
  file(WRITE "${EXPECTED}" "# ${name}\nexit_code: 0\n--- stdout ---\n--- stderr ---\n--- end ---\n")
endif()
file(READ "${EXPECTED}" spec)
set(m_stdout "--- stdout ---\n")
set(m_stderr "--- stderr ---\n")
set(m_end "--- end ---\n")
string(FIND "${spec}" "${m_stdout}" p_stdout)
string(FIND "${spec}" "${m_stderr}" p_stderr)
string(FIND "${spec}" "${m_end}" p_end)
if(p_stdout EQUAL -1 OR p_stderr LESS p_stdout OR p_end LESS p_stderr)
  message(FATAL_ERROR "${EXPECTED}: needs the sections '--- stdout ---', '--- stderr ---' and "
                      "'--- end ---', in that order")
endif()
string(SUBSTRING "${spec}" 0 ${p_stdout} header)
string(LENGTH "${m_stdout}" len)
math(EXPR from "${p_stdout} + ${len}")
math(EXPR count "${p_stderr} - ${from}")
string(SUBSTRING "${spec}" ${from} ${count} want_stdout)
string(LENGTH "${m_stderr}" len)
math(EXPR from "${p_stderr} + ${len}")
math(EXPR count "${p_end} - ${from}")
string(SUBSTRING "${spec}" ${from} ${count} want_stderr)

if(NOT header MATCHES "(^|\n)exit_code: ([0-9]+)\n")
  message(FATAL_ERROR "${EXPECTED}: no 'exit_code: <n>' line before '--- stdout ---'")
endif()
set(want_exit "${CMAKE_MATCH_2}")
set(also "")
if(header MATCHES "(^|\n)stderr_also: ([^\n]+)\n")
  set(also "${CMAKE_MATCH_2}")
endif()

# --- Run the program --------------------------------------------------------------------------
if(NO_LEAK_CHECK)
  # The process ends (exit/_Exit) while other threads still run: no leak check then.
  if(DEFINED ENV{ASAN_OPTIONS} AND NOT "$ENV{ASAN_OPTIONS}" STREQUAL "")
    set(ENV{ASAN_OPTIONS} "$ENV{ASAN_OPTIONS}:detect_leaks=0")
  else()
    set(ENV{ASAN_OPTIONS} "detect_leaks=0")
  endif()
endif()
get_filename_component(expected_file_name "${EXPECTED}" NAME)  # unique per test
set(err_file "${WORK_DIR}/${expected_file_name}.stderr")
execute_process(
  COMMAND "${PROGRAM}"
  RESULT_VARIABLE got_exit
  OUTPUT_VARIABLE got_stdout
  ERROR_FILE "${err_file}"
  TIMEOUT ${TIMEOUT})
file(READ "${err_file}" raw_stderr)
if(SHOW)
  message("---- ${name}: stdout ----\n${got_stdout}")
  if(NOT "${raw_stderr}" STREQUAL "")
    message("---- ${name}: stderr ----\n${raw_stderr}")
  endif()
  message("---- ${name}: exit code ${got_exit} ----")
endif()

# --- Filter stderr ----------------------------------------------------------------------------
set(got_stderr "")
set(rest "${raw_stderr}")
set(in_panic_block FALSE)
while(NOT "${rest}" STREQUAL "")
  string(FIND "${rest}" "\n" nl)
  if(nl EQUAL -1)
    set(line "${rest}")
    set(rest "")
  else()
    string(SUBSTRING "${rest}" 0 ${nl} line)
    math(EXPR from "${nl} + 1")
    string(SUBSTRING "${rest}" ${from} -1 rest)
  endif()
  string(REGEX REPLACE "0x[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]+" "0xADDR"
         line "${line}")
  set(keep FALSE)
  if(WHOLE_STDERR)
    if(DEFINED SOURCE_DIR)
      string(REPLACE "${SOURCE_DIR}" "$SRC" line "${line}")
    endif()
    set(keep TRUE)
  elseif(line MATCHES "^\t?panic: ")
    set(keep TRUE)
    set(in_panic_block TRUE)
  elseif("${line}" STREQUAL "" AND in_panic_block)
    set(keep TRUE)
    set(in_panic_block FALSE)
  elseif(line MATCHES "^goroutine ([0-9N]+) \\[running\\]:$")
    if(NOT CMAKE_MATCH_1 STREQUAL "1")
      set(line "goroutine N [running]:")
    endif()
    set(keep TRUE)
  elseif(line MATCHES "^fatal error: ")
    set(keep TRUE)
  elseif(NOT "${also}" STREQUAL "" AND line MATCHES "${also}")
    set(keep TRUE)
  endif()
  if(keep)
    string(APPEND got_stderr "${line}\n")
  endif()
endwhile()

# --- Update the expected file, when asked ------------------------------------------------------
if("$ENV{GODEFER_UPDATE_GOLDEN}")
  string(REGEX REPLACE "(^|\n)exit_code: [0-9]+\n" "\\1exit_code: ${got_exit}\n" header "${header}")
  file(WRITE "${EXPECTED}"
       "${header}${m_stdout}${got_stdout}${m_stderr}${got_stderr}${m_end}")
  message("updated ${EXPECTED}")
  return()
endif()

# --- Compare ----------------------------------------------------------------------------------
set(failures "")
if(DEFINED STDERR_PREFIX_HEX)
  file(READ "${err_file}" err_hex HEX)
  string(FIND "${err_hex}" "${STDERR_PREFIX_HEX}" at)
  if(NOT at EQUAL 0)
    string(APPEND failures "stderr does not begin with the bytes ${STDERR_PREFIX_HEX}: ${err_hex}\n")
  endif()
endif()
if(NOT "${got_exit}" STREQUAL "${want_exit}")
  string(APPEND failures "exit code: expected ${want_exit}, got '${got_exit}'\n")
endif()

find_program(DIFF_PROGRAM diff)
function(report_difference what want got)
  set(want_file "${WORK_DIR}/${expected_file_name}.${what}.expected")
  set(got_file "${WORK_DIR}/${expected_file_name}.${what}.actual")
  file(WRITE "${want_file}" "${want}")
  file(WRITE "${got_file}" "${got}")
  set(text "")
  if(DIFF_PROGRAM)
    execute_process(COMMAND "${DIFF_PROGRAM}" -u --label "expected ${what}" --label "actual ${what}"
                            "${want_file}" "${got_file}"
                    OUTPUT_VARIABLE text)
  endif()
  if("${text}" STREQUAL "")
    set(text "--- expected ${what}:\n${want}--- actual ${what}:\n${got}")
  endif()
  set(failures "${failures}${what} differs:\n${text}" PARENT_SCOPE)
endfunction()

if(NOT "${got_stdout}" STREQUAL "${want_stdout}")
  report_difference(stdout "${want_stdout}" "${got_stdout}")
endif()
if(NOT "${got_stderr}" STREQUAL "${want_stderr}")
  report_difference(stderr "${want_stderr}" "${got_stderr}")
endif()

if(NOT "${failures}" STREQUAL "")
  message("${name}: the program's behaviour differs from ${EXPECTED}\n\n${failures}\n"
          "--- the program's whole stderr:\n${raw_stderr}")
  message(FATAL_ERROR "${name}: FAILED")
endif()
message(STATUS "${name}: exit code, stdout and stderr as expected")
