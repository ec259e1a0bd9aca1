# Compile one source file and check the outcome: the engine of the compile_fail and headers tests.
#
#   cmake -DCOMPILER=<c++> -DSOURCE=<file.cpp> -DEXPECT=pass|fail [-DFLAGS=a|b|c]
#         -P GodeferCompileCheck.cmake
#
# FLAGS are separated by '|'. With EXPECT=fail, the compilation must fail and its diagnostics must
# match the regular expression written in the source on a line `// expect-error: <regex>`: a file
# that fails for another reason (a typo, a missing include) does not count as a pass.
cmake_minimum_required(VERSION 3.21)

foreach(var COMPILER SOURCE EXPECT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "GodeferCompileCheck: ${var} is not set")
  endif()
endforeach()
string(REPLACE "|" ";" flags "${FLAGS}")

execute_process(
  COMMAND "${COMPILER}" ${flags} -fsyntax-only "${SOURCE}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)

string(REPLACE ";" " " shown_flags "${flags}")
set(command_line "${COMPILER} ${shown_flags} -fsyntax-only ${SOURCE}")

if(EXPECT STREQUAL "pass")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "expected to compile, but it did not:\n  ${command_line}\n${out}")
  endif()
  message(STATUS "compiles, as expected: ${SOURCE}")
elseif(EXPECT STREQUAL "fail")
  file(STRINGS "${SOURCE}" expect_lines REGEX "^// expect-error: ")
  if(NOT expect_lines)
    message(FATAL_ERROR "${SOURCE} has no `// expect-error: <regex>` line")
  endif()
  list(GET expect_lines 0 expect_line)
  string(REGEX REPLACE "^// expect-error: " "" expected "${expect_line}")
  if(result EQUAL 0)
    message(FATAL_ERROR "expected NOT to compile, but it did:\n  ${command_line}")
  endif()
  if(NOT out MATCHES "${expected}")
    message(FATAL_ERROR "failed to compile, but not with the expected diagnostic "
      "(regex: ${expected}):\n  ${command_line}\n${out}")
  endif()
  message(STATUS "rejected, as expected (diagnostic matched '${expected}'): ${SOURCE}")
else()
  message(FATAL_ERROR "GodeferCompileCheck: EXPECT must be pass or fail, not '${EXPECT}'")
endif()
