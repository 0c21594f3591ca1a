#!/usr/bin/env bash
# Create .venv (Python 3.11+) and install 反诈指挥台 with its test tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "需要 Python 3.11 或更高版本 (found: $("$PYTHON" --version 2>&1))" >&2
    exit 1
fi

if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
        rm -rf .venv
        echo "无法创建虚拟环境。Debian/Ubuntu 上请先安装: sudo apt-get install python3-venv" >&2
        exit 1
    fi
fi

stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[test]"
    touch "$stamp"
fi
