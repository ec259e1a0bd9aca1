# Install rules: headers, the exported target, godefer-config.cmake, its version file and godefer.pc.
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(GODEFER_CMAKE_DIR "${CMAKE_INSTALL_DATADIR}/cmake/godefer" CACHE STRING
  "Where godefer-config.cmake is installed, relative to the prefix")

install(DIRECTORY include/godefer DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS godefer EXPORT godefer-targets)
install(EXPORT godefer-targets
  NAMESPACE godefer::
  DESTINATION "${GODEFER_CMAKE_DIR}")

configure_package_config_file(cmake/godefer-config.cmake.in
  "${PROJECT_BINARY_DIR}/godefer-config.cmake"
  INSTALL_DESTINATION "${GODEFER_CMAKE_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/godefer-config-version.cmake"
  COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)
install(FILES
  "${PROJECT_BINARY_DIR}/godefer-config.cmake"
  "${PROJECT_BINARY_DIR}/godefer-config-version.cmake"
  DESTINATION "${GODEFER_CMAKE_DIR}")

# pkg-config: header-only, so only -I and the thread flag (the user picks -std=c++17 or later).
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(GODEFER_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(GODEFER_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(cmake/godefer.pc.in "${PROJECT_BINARY_DIR}/godefer.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/godefer.pc" DESTINATION "${CMAKE_INSTALL_DATADIR}/pkgconfig")
