#!/usr/bin/env bash
# The README's two commands:
#   bash packaging/run.sh          set up, then start the desktop app on the youth basketball clip (on a machine
#                                  without a screen: analyse the clip headless and print where the result is)
#   bash packaging/run.sh test     set up, then run the whole test suite (pytest-xvfb gives the GUI tests a screen)
# Also: `bash packaging/run.sh analyse` for the headless analysis alone, and `bash packaging/run.sh build` for the
# installable app (PyInstaller, one folder: dist/stsp-coach/stsp-coach, the models inside it), and
# `bash packaging/run.sh bench` for the speed figures against MediaPipe's own Pose (in .venv-mediapipe).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash packaging/setup.sh
clip="$repo/../shared/data/video/basketball_youth_drill.mp4"
analyse() {
    .venv/bin/stsp-coach analyze "$clip" --out "$repo/out/basketball_youth_drill"
}
case "${1:-app}" in
    app)
        if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
            exec .venv/bin/stsp-coach gui --open "$clip"
        fi
        echo "run.sh: no screen here (DISPLAY is not set), so no window: analysing the clip headless instead." >&2
        analyse
        ;;
    analyse|analyze|demo)
        analyse
        ;;
    build)
        .venv/bin/pyinstaller packaging/stsp-coach.spec --noconfirm --log-level WARN \
            --distpath "$repo/dist" --workpath "$repo/build/pyinstaller"
        echo "run.sh: built the app in $repo/dist/stsp-coach/ (start it with dist/stsp-coach/stsp-coach; copy the folder to install it)"
        ;;
    bench)
        # MediaPipe's own Pose, the peer of the speed figures, in an environment of its own (never in .venv)
        if [ ! -x .venv-mediapipe/bin/python ]; then
            "${PYTHON:-python3.11}" -m venv .venv-mediapipe
            .venv-mediapipe/bin/pip install -q --disable-pip-version-check mediapipe==0.10.14
        fi
        .venv/bin/stsp-coach bench "$clip" --mediapipe-python .venv-mediapipe/bin/python
        ;;
    test)
        shift || true
        .venv/bin/python -m pytest "$@"
        ;;
    *)
        echo "usage: bash packaging/run.sh [app|analyse|build|bench|test [PYTEST ARGS]]" >&2
        exit 2
        ;;
esac
