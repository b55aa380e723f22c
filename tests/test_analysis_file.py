"""keypoints.json: round trip, schema, bad files."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stsp_app.core.analysis import FrameResult, TrackedPerson, VideoAnalysis
from stsp_app.errors import InputError


def _analysis():
    kp = np.column_stack([np.arange(17) * 2.0, np.arange(17) * 3.0, np.full(17, 0.9)])
    return VideoAnalysis(
        fps=30.0, width=426, height=240, frame_count=2,
        frames=[
            FrameResult(0, 0.0, 1, kp, np.zeros((33, 3)), None, [TrackedPerson(1, np.array([1, 2, 3, 4.0]))],
                        scene_from_image=np.array([[0.99, -0.02, 12.5], [0.02, 0.99, -7.25]])),
            FrameResult(1, 1 / 30, None, None, None, None, []),
        ],
    )


def test_round_trip_and_schema(tmp_path):
    path = tmp_path / "out" / "keypoints.json"
    _analysis().save_json(path)
    data = json.loads(path.read_text())
    assert {"fps", "width", "height", "frame_count", "joint_names", "frames"} <= data.keys()
    assert len(data["joint_names"]) == 17 and data["joint_names"][0] == "pelvis"
    frame = data["frames"][0]
    assert {"index", "time_s", "person_id", "kp2d", "kp2d_raw33"} <= frame.keys()
    assert len(frame["kp2d"]) == 17 and len(frame["kp2d"][0]) == 3 and len(frame["kp2d_raw33"]) == 33
    assert data["frames"][1]["kp2d"] is None
    loaded = VideoAnalysis.load_json(path)
    np.testing.assert_allclose(loaded.frames[0].kp2d, _analysis().frames[0].kp2d)
    np.testing.assert_allclose(loaded.frames[0].scene_from_image, _analysis().frames[0].scene_from_image)
    assert loaded.frames[1].scene_from_image is None  # an analysis that did not follow the camera
    assert loaded.frames_with_person == 1
    assert np.isnan(loaded.kp2d_array()[1]).all()


def test_bad_file(tmp_path):
    bad = tmp_path / "keypoints.json"
    bad.write_text("{not json")
    with pytest.raises(InputError, match="not a keypoints file"):
        VideoAnalysis.load_json(bad)
    with pytest.raises(InputError, match="no such file"):
        VideoAnalysis.load_json(tmp_path / "missing.json")
