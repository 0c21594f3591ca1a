#!/usr/bin/env bash
# Install what is needed and start the dashboard at http://localhost:8501.
# On first start the database (default data/fanzha.db) is created, migrated and filled with the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/fanzha serve "$@"
