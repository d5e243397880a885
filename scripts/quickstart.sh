#!/usr/bin/env bash
# One command from a fresh clone: install what is missing, then digitize the bundled seed chart.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
mkdir -p out
echo "quickstart: digitize fixtures/seed/chart.png --check out/seed-check.png" >&2
digitize fixtures/seed/chart.png --check out/seed-check.png
echo "quickstart: check image written to out/seed-check.png" >&2
