#!/usr/bin/env bash
# The README's two commands:
#   bash packaging/run.sh demo   set up, then analyse the youth basketball clip and print where the result is
#   bash packaging/run.sh test   set up, then run the whole test suite (under a virtual X screen)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash packaging/setup.sh
case "${1:-demo}" in
    demo)
        clip="$repo/../shared/data/video/basketball_youth_drill.mp4"
        .venv/bin/stsp-coach analyze "$clip" --out "$repo/out/basketball_youth_drill"
        ;;
    test)
        shift || true
        .venv/bin/python -m pytest "$@"
        ;;
    *)
        echo "usage: bash packaging/run.sh [demo|test [PYTEST ARGS]]" >&2
        exit 2
        ;;
esac
