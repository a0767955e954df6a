# Cross-build for arm64 gateways on a Debian 12 amd64 host (docs/arm64.md):
#   cmake -S . -B build/arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
# Compiler from crossbuild-essential-arm64; the libraries are Debian's own arm64 packages
# installed next to the amd64 ones (multiarch), so they live in /usr/lib/aarch64-linux-gnu
# under the ordinary root "/", not in a separate sysroot.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# find_library/find_package look in <prefix>/lib/aarch64-linux-gnu, never in the host's
# x86_64-linux-gnu; arch-independent packages (nlohmann_json, Catch2) are found under
# /usr/share/cmake and /usr/lib/cmake. Programs (pkg-config, mosquitto) are the host's.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# The host pkg-config reads only the arm64 .pc files (sqlite3, openssl).
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
unset(ENV{PKG_CONFIG_PATH})

# ctest (and Catch's test discovery at build time) run the arm64 executables through
# qemu user mode, so no binfmt_misc registration is needed. -L / makes qemu take the arm64
# dynamic loader from the multiarch libc6:arm64, the same package as the libc it loads.
# Not the cross toolchain's /usr/aarch64-linux-gnu: its ld.so is another glibc build
# (2.36-8cross1) that would load the multiarch libc.so.6 (2.36-9+deb12u14); the two
# disagree on the loader's private data and the first pthread_create spins forever.
find_program(PRM_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${PRM_QEMU_AARCH64} -L /)
