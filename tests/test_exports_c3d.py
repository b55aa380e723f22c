"""The C3D export read back with ezc3d: labels, rate, units, the joints in the Z-up lab frame, the angles,
and frames without the player marked invalid."""

from __future__ import annotations

import ezc3d
import numpy as np
import pytest

from stsp_app.core.skeleton import JOINT_INDEX, JOINT_NAMES
from stsp_app.exports import export_analysis
from stsp_app.kinematics.joint_angles import ANGLE_NAMES
from stsp_app.kinematics.motion_series import motion_series


@pytest.fixture(scope="module")
def c3d_and_analysis(analysed_clip, tmp_path_factory):
    analysis = analysed_clip("basketball_youth_drill.mp4")
    path = export_analysis(analysis, tmp_path_factory.mktemp("c3d"), ["c3d"])["c3d"]
    assert path.suffix == ".c3d" and [p.name for p in path.parent.iterdir()] == [path.name]
    return ezc3d.c3d(str(path)), analysis


def test_parameters(c3d_and_analysis):
    c3d, analysis = c3d_and_analysis
    point = c3d["parameters"]["POINT"]
    assert list(point["LABELS"]["value"]) == [*JOINT_NAMES, *ANGLE_NAMES]
    assert point["RATE"]["value"][0] == pytest.approx(analysis.fps, rel=1e-6)
    assert point["UNITS"]["value"] == ["mm"]
    assert list(point["ANGLES"]["value"]) == list(ANGLE_NAMES) and point["ANGLE_UNITS"]["value"] == ["deg"]
    assert point["X_SCREEN"]["value"] == ["+X"] and point["Y_SCREEN"]["value"] == ["+Z"]
    assert c3d["data"]["points"].shape == (4, 17 + len(ANGLE_NAMES), len(analysis.frames))


def test_joints_in_the_z_up_lab_frame_and_gaps_invalid(c3d_and_analysis):
    c3d, analysis = c3d_and_analysis
    joints = c3d["data"]["points"][:3, :17].transpose(2, 1, 0)  # (T, 17, 3)
    residuals = c3d["data"]["meta_points"]["residuals"][0, :17].T  # (T, 17)
    camera = analysis.kp3d_array()  # x right, y down, z away
    lab = np.stack([camera[..., 0], camera[..., 2], -camera[..., 1]], axis=-1)  # X right, Y away, Z up
    missing = np.isnan(lab).any(axis=2)
    assert 0 < missing.all(axis=1).sum() < 100
    assert np.isnan(joints[missing]).all() and (residuals[missing] == -1).all()
    assert (residuals[~missing] >= 0).all()
    np.testing.assert_allclose(joints[~missing], lab[~missing], atol=1e-3)  # stored as 32-bit floats
    found = ~missing.all(axis=1)
    assert (joints[found, JOINT_INDEX["head"], 2] > joints[found, JOINT_INDEX["pelvis"], 2]).mean() > 0.9


def test_angles_are_the_charts_angles(c3d_and_analysis):
    c3d, analysis = c3d_and_analysis
    angles = c3d["data"]["points"][:3, 17:].transpose(2, 1, 0)  # (T, angles, 3)
    series = motion_series(analysis.frames)
    for column, name in enumerate(ANGLE_NAMES):
        expected = series.angles.degrees[name]
        np.testing.assert_array_equal(np.isnan(angles[:, column, 0]), np.isnan(expected))
        valid = ~np.isnan(expected)
        np.testing.assert_allclose(angles[valid, column, 0], expected[valid], atol=1e-3)
        assert (angles[valid, column, 1:] == 0).all()
