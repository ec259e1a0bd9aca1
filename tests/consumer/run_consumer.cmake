# One consumer test: cmake -DSTEP=<step> -DGODEFER_SOURCE_DIR=... -DWORK_DIR=... -DPREFIX=...
#   -DCXX=<compiler> -DGENERATOR=<generator> -P run_consumer.cmake
#
#   install           configure godefer alone (as a top-level project) and install it into PREFIX
#   find_package      build tests/consumer/project against PREFIX, run it
#   add_subdirectory  build it with add_subdirectory(GODEFER_SOURCE_DIR), run it
#   fetchcontent      build it with FetchContent (SOURCE_DIR = GODEFER_SOURCE_DIR), run it
#   pkg_config        compile project/main.cpp with `pkg-config --cflags --libs godefer`, run it
cmake_minimum_required(VERSION 3.21)

set(project_dir "${CMAKE_CURRENT_LIST_DIR}/project")

function(run)
  string(REPLACE ";" " " shown "${ARGN}")
  message(STATUS "$ ${shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
  message("${out}")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "failed (${result}): ${shown}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

function(check_consumer_output)
  if(NOT last_output MATCHES "consumer: ok")
    message(FATAL_ERROR "the consumer did not print 'consumer: ok'")
  endif()
endfunction()

function(build_and_run_consumer mode)
  set(build "${WORK_DIR}/consumer-${mode}")
  file(REMOVE_RECURSE "${build}")
  run("${CMAKE_COMMAND}" -S "${project_dir}" -B "${build}" -G "${GENERATOR}"
      "-DCMAKE_CXX_COMPILER=${CXX}" -DCMAKE_BUILD_TYPE=Release
      "-DGODEFER_CONSUMER_MODE=${mode}" "-DGODEFER_SOURCE_DIR=${GODEFER_SOURCE_DIR}"
      "-DCMAKE_PREFIX_PATH=${PREFIX}" ${ARGN})
  run("${CMAKE_COMMAND}" --build "${build}")
  run("${build}/consumer")
  check_consumer_output()
endfunction()

if(STEP STREQUAL "install")
  set(build "${WORK_DIR}/godefer-build")
  file(REMOVE_RECURSE "${build}" "${PREFIX}")
  run("${CMAKE_COMMAND}" -S "${GODEFER_SOURCE_DIR}" -B "${build}" -G "${GENERATOR}"
      "-DCMAKE_CXX_COMPILER=${CXX}" "-DCMAKE_INSTALL_PREFIX=${PREFIX}"
      -DGODEFER_BUILD_TESTS=OFF -DGODEFER_BUILD_EXAMPLES=OFF)
  run("${CMAKE_COMMAND}" --install "${build}")
  foreach(f include/godefer/godefer.hpp include/godefer/scope_exit.hpp
            share/cmake/godefer/godefer-config.cmake
            share/cmake/godefer/godefer-config-version.cmake
            share/cmake/godefer/godefer-targets.cmake share/pkgconfig/godefer.pc)
    if(NOT EXISTS "${PREFIX}/${f}")
      message(FATAL_ERROR "not installed: ${PREFIX}/${f}")
    endif()
  endforeach()
  message(STATUS "installed into ${PREFIX}")
elseif(STEP STREQUAL "find_package")
  # Nothing from the checkout may be used: only the prefix.
  build_and_run_consumer(find_package -DGODEFER_SOURCE_DIR=)
elseif(STEP STREQUAL "add_subdirectory" OR STEP STREQUAL "fetchcontent")
  build_and_run_consumer(${STEP})
elseif(STEP STREQUAL "pkg_config")
  find_program(PKG_CONFIG pkg-config REQUIRED)
  set(ENV{PKG_CONFIG_PATH} "${PREFIX}/share/pkgconfig")
  run("${PKG_CONFIG}" --cflags --libs godefer)
  string(STRIP "${last_output}" pc_flags)
  separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
  if(NOT pc_flags MATCHES "-I${PREFIX}/include")
    message(FATAL_ERROR "pkg-config --cflags godefer does not point at ${PREFIX}/include")
  endif()
  set(exe "${WORK_DIR}/consumer-pkg-config")
  run("${CXX}" -std=c++17 ${pc_flags} "${project_dir}/main.cpp" -o "${exe}")
  run("${exe}")
  check_consumer_output()
else()
  message(FATAL_ERROR "unknown STEP '${STEP}'")
endif()
