#!/bin/sh
# Debian packages the app needs, installed when missing and we may (as root); otherwise the one
# apt-get line to run is printed.
#   scripts/system-deps.sh app    what the running app needs: HarfBuzz's subsetter keeps a PDF
#                                 under a second (without it, fontTools takes over ten)
#   scripts/system-deps.sh test   that, plus Chromium and a Chinese font for the browser tests
#                                 (screenshots show characters, not boxes) and poppler-utils
# "app" never fails: the app runs without the package, only its PDFs are slow. "test" fails
# when something is missing and cannot be installed.
set -eu
mode=${1:-test}
missing=""
[ -e /usr/lib/x86_64-linux-gnu/libharfbuzz-subset.so.0 ] || [ -e /usr/lib/aarch64-linux-gnu/libharfbuzz-subset.so.0 ] || missing="$missing libharfbuzz-subset0"
if [ "$mode" = test ]; then
    [ -x /usr/bin/chromium ] || missing="$missing chromium"
    fc-list :lang=zh family 2>/dev/null | grep -q . || missing="$missing fonts-noto-cjk"
    command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing from Debian's packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    exit 0
fi
if [ "$mode" = app ]; then
    echo "PDFs will take over ten seconds each until this is installed:" >&2
    echo "    sudo apt-get install$missing" >&2
    exit 0
fi
echo "The browser tests need these Debian packages:$missing" >&2
echo "Install them with: sudo apt-get install$missing" >&2
exit 1
