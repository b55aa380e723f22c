"""``stsp-coach drill`` on an analysis and on a video: the documented JSON, the files, one clear error."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from stsp_app.core.analysis import FrameResult, VideoAnalysis
from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.drills import DRILL_NAMES
from tests.conftest import VIDEO_DIR
from tests.test_analyze_cli import assert_one_clear_error

JUMP_CLIP = VIDEO_DIR / "cmj_teen_front.mp4"


def drill(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stsp_app", "drill", *map(str, args)],
                          capture_output=True, text=True, timeout=600)


def _standing_analysis(frames: int = 90) -> VideoAnalysis:
    """A person standing perfectly still in front of the camera for three seconds."""
    kp2d = np.zeros((17, 3))
    kp2d[:, 2] = 0.9
    places_px = {"pelvis": (320, 300), "right_hip": (300, 300), "right_knee": (300, 380), "right_ankle": (300, 460),
                 "left_hip": (340, 300), "left_knee": (340, 380), "left_ankle": (340, 460), "spine": (320, 250),
                 "thorax": (320, 200), "neck_nose": (320, 170), "head": (320, 140), "left_shoulder": (350, 205),
                 "left_elbow": (355, 260), "left_wrist": (355, 310), "right_shoulder": (290, 205),
                 "right_elbow": (285, 260), "right_wrist": (285, 310)}
    for name, xy in places_px.items():
        kp2d[JOINT_INDEX[name], :2] = xy
    kp3d = (kp2d[:, :2] - kp2d[JOINT_INDEX["pelvis"], :2]) * 5.0
    kp3d = np.concatenate([kp3d, np.zeros((17, 1))], axis=1)
    return VideoAnalysis(fps=30.0, width=640, height=480, frame_count=frames, source="standing", frames=[
        FrameResult(index=i, time_s=i / 30.0, person_id=1, kp2d=kp2d.copy(), kp3d_mm=kp3d.copy()) for i in range(frames)])


def test_video_in_json_last_line_and_files_out(tmp_path):
    result = drill("vertical-jump", JUMP_CLIP, "--json", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(document) >= {"drill", "fps", "frames", "metrics", "events", "reps"}
    assert document["drill"] == "vertical-jump" and document["frames"] == 330
    for metric in document["metrics"].values():
        assert {"value", "unit"} <= set(metric)
    assert {event["kind"] for event in document["events"]} >= {"takeoff", "landing"}
    for event in document["events"]:
        assert abs(event["time_s"] - event["frame"] / document["fps"]) < 0.05
    assert all({"start_frame", "deepest_frame", "end_frame", "metrics"} <= set(rep) for rep in document["reps"])
    # the analysis and the result are kept, and the kept analysis (rounded to 0.001 px, 0.1 mm) gives the same
    # events and, to well within their uncertainty, the same metrics again
    assert json.loads((tmp_path / "drill_vertical-jump.json").read_text()) == document
    again = json.loads(drill("vertical-jump", tmp_path / "keypoints.json", "--json").stdout.strip().splitlines()[-1])
    assert again["events"] == document["events"]
    assert again["metrics"].keys() == document["metrics"].keys()
    for name, metric in document["metrics"].items():
        if isinstance(metric["value"], float):
            assert abs(again["metrics"][name]["value"] - metric["value"]) < 0.5, name
        else:
            assert again["metrics"][name]["value"] == metric["value"], name


def test_no_movement_gives_one_clear_line_for_every_drill(tmp_path):
    keypoints = tmp_path / "keypoints.json"
    _standing_analysis().save_json(keypoints)
    for name in DRILL_NAMES:
        result = drill(name, keypoints, "--out", tmp_path)
        assert_one_clear_error(result, "no ")
        assert "found" in result.stderr, (name, result.stderr)
        assert not (tmp_path / f"drill_{name}.json").exists()


def test_bad_input(tmp_path):
    assert_one_clear_error(drill("squat", tmp_path / "missing.json"), "no such file")
    (tmp_path / "bad.json").write_text("{not json")
    assert_one_clear_error(drill("squat", tmp_path / "bad.json"), "not a keypoints file")
    assert_one_clear_error(drill("squat", tmp_path / "missing.mp4"), "no such file")
    assert_one_clear_error(drill("squat", JUMP_CLIP, "--stature-cm", "5"), "centimetres")
    assert_one_clear_error(drill("squat", JUMP_CLIP, "--capture-fps", "12"), "filmed faster than it plays")
    keypoints = tmp_path / "keypoints.json"
    _standing_analysis().save_json(keypoints)
    assert_one_clear_error(drill("squat", keypoints, "--capture-fps", "240"), "already has its times")
    unknown = drill("high-jump", JUMP_CLIP)
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr
