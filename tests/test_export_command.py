"""``stsp-coach export`` end to end on a real analysis, and one clear error with nothing written for each kind
of bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import cv2
import ezc3d
import numpy as np
import pytest

from stsp_app.core.paths import REPO_DIR
from stsp_app.core.video_source import VideoSource
from stsp_app.exports import EXPORT_FORMATS, read_csv_export
from stsp_app.exports.face_blur import face_regions
from tests.conftest import BASKETBALL_CLIP, VIDEO_DIR
from tests.test_analyze_cli import assert_one_clear_error
from tests.test_exports_face_blur import reach_px


def export(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stsp_app", "export", *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=REPO_DIR)


@pytest.fixture(scope="module")
def analysis_file(analysed_clip, tmp_path_factory):
    analysis = analysed_clip(BASKETBALL_CLIP.name)
    path = tmp_path_factory.mktemp("analysis") / "keypoints.json"
    analysis.save_json(path)
    return analysis, path


@pytest.fixture(scope="module")
def drill_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("drill") / "drill_squat.json"
    path.write_text(json.dumps({
        "drill": "squat", "fps": 29.97, "frames": 300, "metrics": {}, "notes": [],
        "events": [{"kind": "takeoff", "frame": 40, "time_s": 1.3347},
                   {"kind": "foot_strike", "frame": 90, "time_s": 3.003, "side": "left"}],
        "reps": [{"start_frame": 100, "deepest_frame": 120, "end_frame": 140, "metrics": {}}],
    }), encoding="utf-8")
    return path


def a_frame_with_two_faces(analysis) -> int:
    return next(f.index for f in analysis.frames if f.kp2d is not None and len(face_regions(f)) == 2)


def test_every_format_and_pictures(analysis_file, drill_file, tmp_path):
    analysis, keypoints = analysis_file
    frame = a_frame_with_two_faces(analysis)
    out = tmp_path / "out"
    result = export(keypoints, "--out", out, "--drill", drill_file, "--key-frames", "--pictures", frame)
    assert result.returncode == 0, result.stderr
    stem = "basketball_youth_drill"
    expected = {f"{stem}.{name}" for name in EXPORT_FORMATS} | {
        f"{stem}_frame{frame:05d}.png", f"{stem}_frame00040_takeoff.png", f"{stem}_frame00090_left_foot_strike.png",
        f"{stem}_frame00120_rep1_deepest.png"}
    assert {p.name for p in out.iterdir()} == expected
    assert all(f"Wrote {out / name}" in result.stdout for name in expected)

    assert len(read_csv_export(out / f"{stem}.csv")) == len(analysis.frames)
    document = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
    assert document["format"] == "stsp-coach-export" and document["angles_from"] == "3d"
    assert document["drill"]["drill"] == "squat" and len(document["frames"]) == len(analysis.frames)
    assert (out / f"{stem}.trc").read_text().startswith("PathFileType\t4\t(X/Y/Z)")
    assert "inDegrees=yes" in (out / f"{stem}.mot").read_text()
    assert ezc3d.c3d(str(out / f"{stem}.c3d"))["data"]["points"].shape[2] == len(analysis.frames)

    with VideoSource(BASKETBALL_CLIP) as video:
        image = video.read(frame)
    picture = cv2.imread(str(out / f"{stem}_frame{frame:05d}.png"))
    assert picture.shape == image.shape and not np.array_equal(picture, image)


def test_no_face_blur_leaves_faces(analysis_file, tmp_path):
    analysis, keypoints = analysis_file
    frame = a_frame_with_two_faces(analysis)
    pictures = {}
    for name, extra in (("blurred", []), ("plain", ["--no-face-blur"])):
        result = export(keypoints, "--out", tmp_path / name, "--formats", "csv", "--pictures", frame,
                        "--video", BASKETBALL_CLIP, "--stem", "x", *extra)
        assert result.returncode == 0, result.stderr
        pictures[name] = cv2.imread(str(tmp_path / name / f"x_frame{frame:05d}.png"))
    differs = np.any(pictures["blurred"] != pictures["plain"], axis=2)
    ys, xs = np.nonzero(differs)
    assert len(ys) > 50  # the faces
    target = next(f for f in analysis.frames if f.index == frame)
    reaches = [(region.centre_px, reach_px(region)) for region in face_regions(target)]
    for x, y in zip(xs, ys):  # every changed pixel lies in a face region or its soft edge
        assert any(abs(x - cx) <= rx and abs(y - cy) <= ry for (cx, cy), (rx, ry) in reaches), (x, y)


def test_missing_file(tmp_path):
    assert_one_clear_error(export(tmp_path / "nope.json", "--out", tmp_path / "out"), "no such file")
    assert not (tmp_path / "out").exists()


def test_not_a_keypoints_file(drill_file, tmp_path):
    assert_one_clear_error(export(drill_file, "--out", tmp_path / "out"), "not a keypoints file")
    text = tmp_path / "notes.json"
    text.write_text("hello", encoding="utf-8")
    assert_one_clear_error(export(text, "--out", tmp_path / "out"), "not a keypoints file")
    assert_one_clear_error(export(tmp_path, "--out", tmp_path / "out"), "a folder")
    assert not (tmp_path / "out").exists()


def test_unknown_format(analysis_file, tmp_path):
    _, keypoints = analysis_file
    assert_one_clear_error(export(keypoints, "--out", tmp_path / "out", "--formats", "csv,xlsx"), "xlsx")
    assert not (tmp_path / "out").exists()


def test_out_folder_that_cannot_be_written(analysis_file, tmp_path):
    _, keypoints = analysis_file
    blocker = tmp_path / "a_file"
    blocker.write_text("in the way", encoding="utf-8")
    assert_one_clear_error(export(keypoints, "--out", blocker / "out"), "cannot write there")
    assert_one_clear_error(export(keypoints, "--out", blocker), "cannot write there")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


def test_bad_pictures_write_nothing(analysis_file, drill_file, tmp_path):
    analysis, keypoints = analysis_file
    out = tmp_path / "out"
    assert_one_clear_error(export(keypoints, "--out", out, "--pictures", "9999"), "frame 9999 was not analysed")
    assert_one_clear_error(export(keypoints, "--out", out, "--pictures", "ten"), "frame numbers")
    assert_one_clear_error(export(keypoints, "--out", out, "--key-frames"), "--drill")
    other_video = VIDEO_DIR / "dribble_coach_and_player.mp4"
    assert_one_clear_error(export(keypoints, "--out", out, "--pictures", "3", "--video", other_video),
                           "not the analysed video")
    moved = tmp_path / "moved.json"
    moved.write_text(keypoints.read_text().replace(str(BASKETBALL_CLIP), "/gone/clip.mp4"), encoding="utf-8")
    assert_one_clear_error(export(moved, "--out", out, "--pictures", "3"), "--video")
    assert_one_clear_error(export(keypoints, "--out", keypoints.parent, "--stem", "keypoints"), "overwrite")
    assert not out.exists()
