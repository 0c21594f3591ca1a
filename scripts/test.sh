#!/usr/bin/env bash
# Run the whole test suite (unit, page, and real-browser tests).
# Set FANZHA_TEST_PG_URL=postgresql://user@host:5432/db to run the database tests on PostgreSQL too.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/browser.sh
exec .venv/bin/python -m pytest "$@"
