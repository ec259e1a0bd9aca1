# Install rules: headers, the exported target, godefer-config.cmake, its version file, godefer.pc,
# and LICENSE, README.md and CHANGELOG.md under share/doc/godefer. Every installed file refers to
# the others by relative paths: the tree works wherever `cmake --install --prefix` puts it.
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(GODEFER_CMAKE_DIR "${CMAKE_INSTALL_DATADIR}/cmake/godefer" CACHE STRING
  "Where godefer-config.cmake is installed, relative to the prefix")

install(DIRECTORY include/godefer DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS godefer godefer_throw_trace EXPORT godefer-targets)
install(FILES src/throw_trace.cpp DESTINATION "${CMAKE_INSTALL_DATADIR}/godefer/src")
install(EXPORT godefer-targets
  NAMESPACE godefer::
  DESTINATION "${GODEFER_CMAKE_DIR}")

configure_package_config_file(cmake/godefer-config.cmake.in
  "${PROJECT_BINARY_DIR}/godefer-config.cmake"
  INSTALL_DESTINATION "${GODEFER_CMAKE_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/godefer-config-version.cmake"
  COMPATIBILITY SameMinorVersion  # while on 0.x, a new minor version may break the API
  ARCH_INDEPENDENT)
install(FILES
  "${PROJECT_BINARY_DIR}/godefer-config.cmake"
  "${PROJECT_BINARY_DIR}/godefer-config-version.cmake"
  DESTINATION "${GODEFER_CMAKE_DIR}")

# pkg-config: header-only, so only -I and the thread flag (the user picks -std=c++17 or later).
# The prefix is derived from the .pc file's own place (${pcfiledir}), not from the prefix known at
# configure time, so that `cmake --install --prefix P` (and a moved tree) give the right -I.
set(GODEFER_PC_DIR "${CMAKE_INSTALL_DATADIR}/pkgconfig")
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}" OR IS_ABSOLUTE "${GODEFER_PC_DIR}")
  # Absolute install directories cannot move with the prefix: keep them as they are.
  set(GODEFER_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
    set(GODEFER_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
  else()
    set(GODEFER_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
  endif()
else()
  file(RELATIVE_PATH pc_to_prefix "/prefix/${GODEFER_PC_DIR}" "/prefix")
  string(REGEX REPLACE "/$" "" pc_to_prefix "${pc_to_prefix}")
  set(GODEFER_PC_PREFIX "\${pcfiledir}/${pc_to_prefix}")
  set(GODEFER_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
set(GODEFER_PC_CFLAGS "")
set(GODEFER_PC_LIBS "")
if(GODEFER_WITH_LIBDW)
  set(GODEFER_PC_CFLAGS " -DGODEFER_WITH_LIBDW=1")
  set(GODEFER_PC_LIBS " -ldw")
endif()
configure_file(cmake/godefer.pc.in "${PROJECT_BINARY_DIR}/godefer.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/godefer.pc" DESTINATION "${GODEFER_PC_DIR}")

install(FILES LICENSE README.md CHANGELOG.md DESTINATION "${CMAKE_INSTALL_DOCDIR}")
