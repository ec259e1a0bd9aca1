# CTest driver of example 11: configures and builds the FetchContent consumer project in a fresh
# binary directory, runs its program and compares what it does with the expected file.
#
#   cmake -DBINARY_DIR=<scratch dir> -DGODEFER_SOURCE_DIR=<checkout> -DEXPECTED=<file>
#         [-DGENERATOR=<gen>] [-DCXX_COMPILER=<c++>] [-DBUILD_TYPE=<cfg>] -P check.cmake
cmake_minimum_required(VERSION 3.21)

foreach(var BINARY_DIR GODEFER_SOURCE_DIR EXPECTED)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check.cmake: ${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${BINARY_DIR}")  # a fresh configure every time

set(configure "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_LIST_DIR}" -B "${BINARY_DIR}"
    "-DGODEFER_SOURCE_DIR=${GODEFER_SOURCE_DIR}")
if(GENERATOR)
  list(APPEND configure -G "${GENERATOR}")
endif()
if(CXX_COMPILER)
  list(APPEND configure "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(BUILD_TYPE)
  list(APPEND configure "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
endif()

message("---- 11-fetchcontent: configure ----")
execute_process(COMMAND ${configure} RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "example 11-fetchcontent FAILED: configuring the consumer project failed")
endif()

message("---- 11-fetchcontent: build ----")
set(build "${CMAKE_COMMAND}" --build "${BINARY_DIR}")
if(BUILD_TYPE)
  list(APPEND build --config "${BUILD_TYPE}")
endif()
execute_process(COMMAND ${build} RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "example 11-fetchcontent FAILED: building the consumer project failed")
endif()

find_program(EXE hello-godefer PATHS "${BINARY_DIR}" "${BINARY_DIR}/${BUILD_TYPE}" NO_DEFAULT_PATH)
if(NOT EXE)
  message(FATAL_ERROR "example 11-fetchcontent FAILED: no hello-godefer in ${BINARY_DIR}")
endif()
set(PROGRAM "${EXE}")
set(WORK_DIR "${BINARY_DIR}")
set(SHOW ON)
include("${GODEFER_SOURCE_DIR}/cmake/GodeferRunCompare.cmake")
