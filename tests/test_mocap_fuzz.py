"""Fuzzing the motion importers (BVH, ASF/AMC, Kinect CSV): real files, damaged by hypothesis in every way it
can think of, give a motion or one InputError, never another exception and never a hang."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mocap_checks import DATA

from stsp_app.core.skeleton import NUM_JOINTS
from stsp_app.errors import InputError
from stsp_app.mocap import Motion, load_motion

FRAMES_KEPT = 4


def _bvh_excerpt() -> str:
    lines = (DATA / "mocap/train/cmu-bvh/005/005_01.bvh").read_text().splitlines()
    frames_line = next(i for i, line in enumerate(lines) if line.startswith("Frames:"))
    lines[frames_line] = f"Frames: {FRAMES_KEPT}"
    return "\n".join(lines[: frames_line + 2 + FRAMES_KEPT]) + "\n"


def _amc_excerpt() -> str:
    lines = (DATA / "mocap/train/cmu-asfamc/02/02_01.amc").read_text().splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip().isdigit()]
    return "\n".join(lines[: starts[FRAMES_KEPT]]) + "\n"


def _kinect_excerpt() -> str:
    path = next((DATA / "eval/kinder-gator").rglob("*Throw-a-ball*.csv"))
    return "\n".join(path.read_text().splitlines()[: 1 + FRAMES_KEPT]) + "\n"


ASF_TEXT = (DATA / "mocap/train/cmu-asfamc/02/02.asf").read_text()
EXCERPTS = {".bvh": _bvh_excerpt(), ".amc": _amc_excerpt(), ".csv": _kinect_excerpt()}

# What lands in a damaged file: numbers of every kind, the formats' own words and brackets, stray bytes.
DAMAGE = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["nan", "inf", "-inf", "1e309", "-0", "0", "99999999999999999999", "{", "}", ",", "\n",
                     "ROOT", "JOINT", "End Site", "CHANNELS 3", "CHANNELS 99", "MOTION", "Frames: 0",
                     "Frames: -3", "Frame Time: 0", ":bonedata", "begin", "end", "root", "1", "Timestamp"]),
)
EDIT = st.tuples(st.sampled_from(["delete", "insert", "replace", "truncate", "repeat"]),
                 st.floats(0, 1), st.integers(1, 400), DAMAGE)


def damaged(text: str, edits: list[tuple[str, float, int, str]]) -> str:
    for kind, where, length, words in edits:
        at = int(where * len(text))
        if kind == "delete":
            text = text[:at] + text[at + length:]
        elif kind == "insert":
            text = text[:at] + words + text[at:]
        elif kind == "replace":
            text = text[:at] + words + text[at + len(words):]
        elif kind == "truncate":
            text = text[:at]
        else:
            text = text[:at] + text[at:at + length] * 3 + text[at:]
    return text


def load_damaged(suffix: str, text: str, asf_text: str = ASF_TEXT) -> Motion | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"motion{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        if suffix == ".amc":
            (Path(folder) / "02.asf").write_text(asf_text, encoding="utf-8", errors="surrogatepass")
            asf = Path(folder) / "02.asf"
        else:
            asf = None
        try:
            return load_motion(path, asf_path=asf)
        except InputError:
            return None


def check_motion(motion: Motion | None) -> None:
    if motion is not None:
        assert motion.joints_mm.ndim == 3 and motion.joints_mm.shape[1:] == (NUM_JOINTS, 3)
        assert len(motion.joints_mm) >= 1 and motion.fps > 0 and np.isfinite(motion.fps)


FUZZ = settings(max_examples=150, deadline=timedelta(seconds=10), derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("suffix", sorted(EXCERPTS))
def test_the_undamaged_excerpts_load(suffix):
    motion = load_damaged(suffix, EXCERPTS[suffix])
    assert motion is not None and len(motion.joints_mm) == FRAMES_KEPT


@pytest.mark.parametrize("suffix", sorted(EXCERPTS))
@FUZZ
@given(edits=st.lists(EDIT, min_size=1, max_size=4))
def test_a_damaged_motion_file_gives_a_motion_or_one_input_error(suffix, edits):
    check_motion(load_damaged(suffix, damaged(EXCERPTS[suffix], edits)))


@FUZZ
@given(edits=st.lists(EDIT, min_size=1, max_size=4))
def test_a_damaged_asf_skeleton_gives_a_motion_or_one_input_error(edits):
    check_motion(load_damaged(".amc", EXCERPTS[".amc"], asf_text=damaged(ASF_TEXT, edits)))


@FUZZ
@given(text=st.text(max_size=300))
def test_any_text_at_all_gives_a_motion_or_one_input_error(text):
    for suffix in EXCERPTS:
        check_motion(load_damaged(suffix, text))
