# GoogleTest and Google Benchmark: the installed packages first, a pinned FetchContent fallback.
include_guard(GLOBAL)
include(FetchContent)

macro(godefer_require_gtest)
  if(NOT TARGET GTest::gtest_main)
    find_package(GTest 1.10 QUIET)
    if(NOT GTest_FOUND)
      message(STATUS "godefer: GoogleTest not installed, fetching v1.14.0")
      set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
      set(gtest_force_shared_crt ON CACHE BOOL "" FORCE)
      FetchContent_Declare(googletest
        URL https://github.com/google/googletest/archive/refs/tags/v1.14.0.tar.gz
        URL_HASH SHA256=8ad598c73ad796e0d8280b082cebd82a630d73e73cd3c70057938a6501bba5d7)
      FetchContent_MakeAvailable(googletest)
    endif()
  endif()
  include(GoogleTest)
endmacro()

macro(godefer_require_benchmark)
  if(NOT TARGET benchmark::benchmark)
    find_package(benchmark 1.5 QUIET)
    if(NOT benchmark_FOUND)
      message(STATUS "godefer: Google Benchmark not installed, fetching v1.8.3")
      set(BENCHMARK_ENABLE_TESTING OFF CACHE BOOL "" FORCE)
      set(BENCHMARK_ENABLE_INSTALL OFF CACHE BOOL "" FORCE)
      FetchContent_Declare(benchmark
        URL https://github.com/google/benchmark/archive/refs/tags/v1.8.3.tar.gz
        URL_HASH SHA256=6bc180a57d23d4d9515519f92b0c83d61b05b5bab188961f36ac7b06b0d9e9ce)
      FetchContent_MakeAvailable(benchmark)
    endif()
  endif()
endmacro()
