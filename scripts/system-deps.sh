#!/bin/sh
# The browser tests need Debian's Chromium and a Chinese font (so screenshots show characters,
# not boxes). Install them when missing and we may; otherwise say exactly what to install.
set -eu
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
fc-list :lang=zh family 2>/dev/null | grep -q . || missing="$missing fonts-noto-cjk"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
[ -e /usr/lib/x86_64-linux-gnu/libharfbuzz-subset.so.0 ] || [ -e /usr/lib/aarch64-linux-gnu/libharfbuzz-subset.so.0 ] || missing="$missing libharfbuzz-subset0"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing from Debian's packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "The browser tests need these Debian packages:$missing" >&2
    echo "Install them with: sudo apt-get install$missing" >&2
    exit 1
fi
