"""Shared fixtures: the real data in ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from stsp_app.core.paths import shared_data_dir

SHARED_DATA = shared_data_dir()
VIDEO_DIR = SHARED_DATA / "video"
BASKETBALL_CLIP = VIDEO_DIR / "basketball_youth_drill.mp4"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    assert SHARED_DATA.is_dir(), f"the shared data folder is missing: {SHARED_DATA}"
    return SHARED_DATA
