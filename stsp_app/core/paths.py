"""Where things live: the per-user cache, the repository's models/ folder, the shared data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent


def bundle_dir() -> Path | None:
    """The installed app's folder of bundled files (PyInstaller's ``sys._MEIPASS``: the models travel there,
    packaging/stsp-coach.spec); None when run from a Python set-up."""
    bundled = getattr(sys, "_MEIPASS", None)
    return Path(bundled) if getattr(sys, "frozen", False) and bundled else None


# Our own lifting models and the manifests: the repository's models/ folder, or its copy inside the installed app.
REPO_MODELS_DIR = (bundle_dir() or REPO_DIR) / "models"


def user_cache_dir() -> Path:
    """Per-user cache for downloaded and converted model files and per-video analysis results.

    ``STSP_COACH_CACHE`` overrides it (tests use a temporary one); otherwise ``$XDG_CACHE_HOME/stsp-coach``
    or ``~/.cache/stsp-coach``.
    """
    override = os.environ.get("STSP_COACH_CACHE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stsp-coach"


def model_cache_dir() -> Path:
    return user_cache_dir() / "models"


def shared_data_dir() -> Path:
    """The shared evaluation/training data (``../shared/data`` beside the checkout, or ``STSP_SHARED_DATA``)."""
    override = os.environ.get("STSP_SHARED_DATA")
    if override:
        return Path(override)
    return REPO_DIR.parent / "shared" / "data"
