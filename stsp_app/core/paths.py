"""Where things live: the per-user cache, the repository's models/ folder, the shared data folder."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent
REPO_MODELS_DIR = REPO_DIR / "models"


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
