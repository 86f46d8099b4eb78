#!/usr/bin/env bash
# Installs what msstore's build and tests need on Debian bookworm, if missing:
# MinGW-w64, 64-bit Wine, CMake, clang and gcovr from Debian, and CMocka cross-built for
# Windows from Debian's own source package into .deps/ (never committed).
# Safe to run again: it only does what is not done yet.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deps="$root/.deps"

need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(mingw-w64)
command -v i686-w64-mingw32-gcc >/dev/null || need+=(mingw-w64)
command -v wine >/dev/null || need+=(wine wine64)
command -v cmake >/dev/null || need+=(cmake)
command -v dpkg-source >/dev/null || need+=(dpkg-dev)
command -v xz >/dev/null || need+=(xz-utils)
command -v gcovr >/dev/null || need+=(gcovr) # for scripts/coverage.sh
# The native fuzz build (tests/fuzz/run.sh): clang with libFuzzer, and Wine's headers for MAPI's types.
command -v clang >/dev/null || need+=(clang)
dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || need+=(libclang-rt-14-dev)
[ -f /usr/include/wine/wine/windows/mapidefs.h ] || need+=(libwine-dev)
if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi

build_cmocka() { # $1 = preset name, $2 = toolchain file
    local prefix="$deps/cmocka-$1"
    [ -f "$prefix/lib/libcmocka-static.a" ] && return
    local src
    src=$(find "$deps/src" -maxdepth 1 -type d -name 'cmocka-*' 2>/dev/null | head -n 1 || true)
    if [ -z "$src" ]; then
        if ! grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
            echo "setup: adding Debian bookworm source packages to apt"
            cat > /etc/apt/sources.list.d/msstore-bookworm-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
            apt-get update -q
        fi
        mkdir -p "$deps/src"
        (cd "$deps/src" && apt-get source -q cmocka)
        src=$(find "$deps/src" -maxdepth 1 -type d -name 'cmocka-*' | head -n 1)
    fi
    echo "setup: building CMocka for $1"
    cmake -S "$src" -B "$deps/build-cmocka-$1" -DCMAKE_TOOLCHAIN_FILE="$2" \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
        -DWITH_STATIC_LIB=ON -DUNIT_TESTING=OFF -DWITH_EXAMPLES=OFF >/dev/null
    cmake --build "$deps/build-cmocka-$1" -j2 >/dev/null
    cmake --install "$deps/build-cmocka-$1" >/dev/null
}
build_cmocka x64 "$root/cmake/mingw-w64-x86_64.cmake"

# The first Wine start creates the project's prefix; later starts are fast.
if [ ! -f "$root/.wine/system.reg" ]; then
    echo "setup: creating the Wine prefix in .wine/"
    "$root/scripts/wine-run" cmd /c exit >/dev/null 2>&1 || true
fi
