# GoogleTest and Google Benchmark: the installed packages first (Debian: libgtest-dev,
# libgmock-dev, libbenchmark-dev), else a pinned release downloaded at configure time. When neither
# works (offline, no package), configure stops with a message that says what to install.
include_guard(GLOBAL)
include(FetchContent)

set(GODEFER_GTEST_URL "https://github.com/google/googletest/archive/refs/tags/v1.14.0.tar.gz"
  CACHE STRING "Where godefer's tests download GoogleTest when it is not installed")
set(GODEFER_BENCHMARK_URL "https://github.com/google/benchmark/archive/refs/tags/v1.8.3.tar.gz"
  CACHE STRING "Where godefer's benchmarks download Google Benchmark when it is not installed")

# Downloads url into the build tree (once) and declares it for FetchContent; on failure, stops
# with `advice` instead of FetchContent's download log.
function(godefer_fetch_pinned name shown url sha256 advice)
  set(archive "${CMAKE_BINARY_DIR}/_deps/${name}-archive.tar.gz")
  if(NOT EXISTS "${archive}")
    message(STATUS "godefer: ${shown} is not installed, downloading ${url}")
    file(DOWNLOAD "${url}" "${archive}.part" STATUS status TIMEOUT 120)
    list(GET status 0 code)
    list(GET status 1 reason)
    if(NOT code EQUAL 0)
      file(REMOVE "${archive}.part")
      message(FATAL_ERROR "godefer: ${shown} is not installed and could not be downloaded "
        "(${reason}).\n${advice}")
    endif()
    file(RENAME "${archive}.part" "${archive}")
  endif()
  FetchContent_Declare(${name} URL "${archive}" URL_HASH SHA256=${sha256})
endfunction()

macro(godefer_require_gtest)
  if(NOT TARGET GTest::gtest_main)
    find_package(GTest 1.10 QUIET)
    if(NOT GTest_FOUND)
      set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
      set(gtest_force_shared_crt ON CACHE BOOL "" FORCE)
      godefer_fetch_pinned(googletest GoogleTest "${GODEFER_GTEST_URL}"
        8ad598c73ad796e0d8280b082cebd82a630d73e73cd3c70057938a6501bba5d7
        "Install GoogleTest (Debian/Ubuntu: sudo apt-get install libgtest-dev libgmock-dev), or configure with -DGODEFER_BUILD_TESTS=OFF (the library itself needs nothing).")
      FetchContent_MakeAvailable(googletest)
    endif()
  endif()
  include(GoogleTest)
endmacro()

macro(godefer_require_benchmark)
  if(NOT TARGET benchmark::benchmark)
    find_package(benchmark 1.5 QUIET)
    if(NOT benchmark_FOUND)
      set(BENCHMARK_ENABLE_TESTING OFF CACHE BOOL "" FORCE)
      set(BENCHMARK_ENABLE_INSTALL OFF CACHE BOOL "" FORCE)
      godefer_fetch_pinned(benchmark "Google Benchmark" "${GODEFER_BENCHMARK_URL}"
        6bc180a57d23d4d9515519f92b0c83d61b05b5bab188961f36ac7b06b0d9e9ce
        "Install Google Benchmark (Debian/Ubuntu: sudo apt-get install libbenchmark-dev), or configure with -DGODEFER_BUILD_BENCHMARKS=OFF.")
      FetchContent_MakeAvailable(benchmark)
    endif()
  endif()
endmacro()
