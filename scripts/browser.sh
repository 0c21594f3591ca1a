#!/usr/bin/env bash
# Make sure the browser tests can run: Debian's Chromium at /usr/bin/chromium and CJK fonts.
# Installs them when this user may (root, or sudo without a password); otherwise stops with the one command to run.
set -euo pipefail

missing=()
[ -x "${FANZHA_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    echo "浏览器测试需要 Chromium 和中文字体，请先运行：sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "安装浏览器测试所需的软件包：${missing[*]}" >&2
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
