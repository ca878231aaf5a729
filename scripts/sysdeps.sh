#!/usr/bin/env bash
# Install the Debian packages the test suite needs, if they are missing:
#   fonts-dejavu-core  (generated test PDFs set Latin/Cyrillic text in DejaVu Sans)
#   chromium, chromium-driver  (the HTML report is tested in headless Chromium via Selenium)
#   fonts-wqy-zenhei   (a CJK font, so report screenshots show Chinese text, not boxes)
#   tesseract-ocr, tesseract-ocr-chi-sim, tesseract-ocr-rus  (the optional OCR of scanned
#                      pages, --ocr; English and script-detection data come with tesseract-ocr)
set -euo pipefail
need=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(fonts-wqy-zenhei)
command -v tesseract >/dev/null || need+=(tesseract-ocr)
tessdata() { ls /usr/share/tesseract-ocr/*/tessdata/"$1".traineddata >/dev/null 2>&1; }
tessdata chi_sim || need+=(tesseract-ocr-chi-sim)
tessdata rus || need+=(tesseract-ocr-rus)
[ ${#need[@]} -eq 0 ] && exit 0
echo "sysdeps: installing ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "sysdeps: need root to install ${need[*]} (apt-get install ${need[*]})" >&2; exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
