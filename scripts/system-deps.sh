#!/usr/bin/env bash
# Install the Debian packages gihi needs, but only those that are missing.
#
# Idempotent: packages are checked with `dpkg -s`; apt-get runs only when
# something is missing (and then `apt-get update` first). Needs root to
# install; otherwise it prints the apt-get command to run and exits 1.
# On systems without apt-get/dpkg it prints a note and exits 0.
set -euo pipefail

# Fonts and libraries used to render and check the bilingual PDF:
#   fonts-noto-cjk        CJK faces for the Chinese edition
#   fonts-noto-core       Latin/Greek/Cyrillic Noto faces
#   libharfbuzz-subset0   font subsetting in WeasyPrint
#   libpango-1.0-0, libpangoft2-1.0-0
#                         text layout libraries WeasyPrint loads at import time
#   poppler-utils         pdftotext/pdffonts, used to inspect the built PDF
#   fontconfig            fc-list: finds the installed fonts whose subsets a joined PDF shares
PACKAGES=(
    fonts-noto-cjk
    fonts-noto-core
    libharfbuzz-subset0
    libpango-1.0-0
    libpangoft2-1.0-0
    poppler-utils
    fontconfig
)

# Return 0 if "$1" runs Python 3.11 with a working venv/ensurepip
# (Debian splits ensurepip out into the python3.11-venv package).
python311_with_venv() {
    command -v "$1" >/dev/null 2>&1 &&
        "$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info[:2] != (3, 11))' \
            >/dev/null 2>&1
}

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: no apt-get/dpkg (not Debian?); install the equivalents of" \
         "${PACKAGES[*]} and Python 3.11 yourself. Continuing." >&2
    if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
        echo "system-deps: WARNING: no CJK (Chinese) font found by fontconfig;" \
             "the Chinese edition of the PDF will not render correctly." >&2
    fi
    exit 0
fi

if ! python311_with_venv python3.11 && ! python311_with_venv python3; then
    PACKAGES+=(python3.11-venv)   # pulls in python3.11 itself
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg -s "$pkg" >/dev/null 2>&1; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "system-deps: all Debian packages present."
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "system-deps: missing Debian packages; please run:" \
         "sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

echo "system-deps: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
