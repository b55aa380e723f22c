"""``stsp-coach analyze`` end to end on real footage, and one clear error line for each kind of bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import cv2
import numpy as np
import pytest

from stsp_app.core.video_source import VideoSource
from tests.conftest import BASKETBALL_CLIP, VIDEO_DIR


def analyze(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stsp_app", "analyze", *map(str, args)], capture_output=True, text=True, timeout=600
    )


def assert_one_clear_error(result: subprocess.CompletedProcess, expected: str) -> None:
    assert result.returncode != 0
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("stsp-coach: error:")]
    assert len(error_lines) == 1, result.stderr
    assert expected in error_lines[0]
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def basketball_keypoints(tmp_path_factory):
    out = tmp_path_factory.mktemp("basketball")
    result = analyze(BASKETBALL_CLIP, "--out", out)
    assert result.returncode == 0, result.stderr
    return json.loads((out / "keypoints.json").read_text()), result.stdout


def test_writes_the_documented_schema_for_every_frame(basketball_keypoints):
    data, stdout = basketball_keypoints
    assert (data["width"], data["height"], data["frame_count"]) == (426, 240, 300)
    assert len(data["joint_names"]) == 17 and len(data["frames"]) == 300
    assert [f["index"] for f in data["frames"]] == list(range(300))
    assert "keypoints.json" in stdout
    found = [f for f in data["frames"] if f["kp2d"] is not None]
    assert len(found) >= 240  # the player is visible nearly throughout
    for frame in found:
        kp = np.array(frame["kp2d"])
        assert kp.shape == (17, 3) and np.array(frame["kp2d_raw33"]).shape == (33, 3)
        assert np.all((kp[:, 2] >= 0) & (kp[:, 2] <= 1))
        inside = (kp[:, 0] > -50) & (kp[:, 0] < 476) & (kp[:, 1] > -50) & (kp[:, 1] < 290)
        assert inside.mean() > 0.9


def test_3d_is_metric_pelvis_relative_and_only_where_2d_is(basketball_keypoints):
    data, stdout = basketball_keypoints
    assert "3D: yes" in stdout
    for frame in data["frames"]:
        assert (frame["kp3d"] is None) == (frame["kp2d"] is None)
    poses = np.array([f["kp3d"] for f in data["frames"] if f["kp3d"] is not None])
    assert poses.shape[1:] == (17, 3)
    np.testing.assert_allclose(poses[:, 0], 0.0, atol=1.0)  # pelvis at the origin, millimetres
    thigh = np.linalg.norm(poses[:, 2] - poses[:, 1], axis=1)  # right hip -> right knee
    assert 250 < np.median(thigh) < 600
    head_above_pelvis = poses[:, 10, 1] < poses[:, 0, 1]  # camera axes: y down
    assert head_above_pelvis.mean() > 0.9


def test_known_stature_sets_the_scale(tmp_path):
    out = tmp_path / "child"
    assert analyze(VIDEO_DIR / "posetrack_soccer", "--out", out, "--stature-cm", "120").returncode == 0
    poses = [np.array(f["kp3d"]) for f in json.loads((out / "keypoints.json").read_text())["frames"] if f["kp3d"]]
    assert poses
    height_mm = np.median([p[10, 1] - p[[3, 6], 1].mean() for p in poses])
    assert 900 < -height_mm < 1300  # head top to ankles of a 1.20 m child (camera y points down)
    bad = analyze(VIDEO_DIR / "posetrack_soccer", "--out", tmp_path, "--stature-cm", "1.2")
    assert_one_clear_error(bad, "centimetres")


def test_one_person_analysed_and_anatomy_plausible(basketball_keypoints):
    data, _ = basketball_keypoints
    found = [f for f in data["frames"] if f["kp2d"] is not None]
    assert len({f["person_id"] for f in found}) == 1
    kp = np.array([f["kp2d"] for f in found])
    head_y, ankle_y = kp[:, 10, 1], kp[:, [3, 6], 1].mean(axis=1)
    assert np.median(ankle_y - head_y) > 40  # upright player: head well above ankles (image y down)


def test_image_folder_and_model_choice(tmp_path):
    result = analyze(VIDEO_DIR / "posetrack_soccer", "--out", tmp_path, "--model", "lite")
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "keypoints.json").read_text())
    assert data["frame_count"] == 5 and data["settings"]["model"] == "lite"


def test_missing_path(tmp_path):
    assert_one_clear_error(analyze(tmp_path / "nope.mp4", "--out", tmp_path), "no such file")


def test_not_a_video(tmp_path):
    bogus = tmp_path / "clip.mp4"
    bogus.write_bytes(b"\x00\x01 definitely not a video " * 200)
    assert_one_clear_error(analyze(bogus, "--out", tmp_path), "not a video")


def test_zero_frame_video(tmp_path):
    path = tmp_path / "zero.avi"
    cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (64, 48)).release()
    result = analyze(path, "--out", tmp_path)
    assert_one_clear_error(result, str(path))


def _write_avi(path, frames, fps=30):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, frames[0].shape[1::-1])
    for frame in frames:
        writer.write(frame)
    writer.release()


def test_truncated_video_analyses_every_frame_that_decodes_and_warns(tmp_path):
    source = VideoSource(BASKETBALL_CLIP)
    full = tmp_path / "full.avi"
    _write_avi(full, [source.read(i) for i in range(60)])
    truncated = tmp_path / "truncated.avi"
    truncated.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    out = tmp_path / "out"
    result = analyze(truncated, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "stops after" in result.stderr and "truncated" in result.stderr and "Traceback" not in result.stderr
    kept = json.loads((out / "keypoints.json").read_text())
    assert 10 < len(kept["frames"]) < 60
    assert sum(f["kp2d"] is not None for f in kept["frames"]) > 5


def test_video_with_nobody(tmp_path):
    # The hall of the pedestrians clip with nobody in it: the per-pixel median over frames far apart removes
    # the walkers and leaves the real, empty scene.
    source = VideoSource(VIDEO_DIR / "pedestrians_vtest.avi")
    background = np.median(np.stack([source.read(i) for i in range(0, 795, 16)]), axis=0).astype(np.uint8)
    rng = np.random.default_rng(0)
    frames = [np.clip(background + rng.normal(0, 2, background.shape), 0, 255).astype(np.uint8) for _ in range(20)]
    path = tmp_path / "empty_hall.avi"
    _write_avi(path, frames)
    out = tmp_path / "out"
    assert_one_clear_error(analyze(path, "--out", out), "nobody was found")
    data = json.loads((out / "keypoints.json").read_text())
    assert len(data["frames"]) == 20 and all(f["kp2d"] is None for f in data["frames"])
