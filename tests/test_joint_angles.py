"""Joint angles on hand-built poses whose angles are known by construction."""

import numpy as np
import pytest

from stsp_app.kinematics.joint_angles import ANGLE_NAMES, joint_angles_2d, joint_angles_3d
from stsp_app.core.skeleton import JOINT_INDEX as J


def standing_pose_mm() -> np.ndarray:
    """Upright, arms hanging, legs straight; camera axes x right, y down, z away (person faces the camera)."""
    pose = np.zeros((17, 3))
    pose[J["right_hip"]] = (-100, 0, 0)
    pose[J["right_knee"]] = (-100, 420, 0)
    pose[J["right_ankle"]] = (-100, 820, 0)
    pose[J["left_hip"]] = (100, 0, 0)
    pose[J["left_knee"]] = (100, 420, 0)
    pose[J["left_ankle"]] = (100, 820, 0)
    pose[J["spine"]] = (0, -220, 0)
    pose[J["thorax"]] = (0, -450, 0)
    pose[J["neck_nose"]] = (0, -520, -40)
    pose[J["head"]] = (0, -620, 0)
    pose[J["left_shoulder"]] = (160, -430, 0)
    pose[J["left_elbow"]] = (160, -180, 0)
    pose[J["left_wrist"]] = (160, 40, 0)
    pose[J["right_shoulder"]] = (-160, -430, 0)
    pose[J["right_elbow"]] = (-160, -180, 0)
    pose[J["right_wrist"]] = (-160, 40, 0)
    return pose


def posed_mm() -> np.ndarray:
    """Right knee bent 90° (shank pointing back), left thigh raised 90° forward (toward the camera, -z),
    left elbow bent 90°, right arm raised sideways to horizontal."""
    pose = standing_pose_mm()
    pose[J["right_ankle"]] = pose[J["right_knee"]] + (0, 0, 400)
    pose[J["left_knee"]] = pose[J["left_hip"]] + (0, 0, -420)
    pose[J["left_ankle"]] = pose[J["left_knee"]] + (0, 400, 0)
    pose[J["left_wrist"]] = pose[J["left_elbow"]] + (0, 0, -220)
    pose[J["right_elbow"]] = pose[J["right_shoulder"]] + (-250, 0, 0)
    pose[J["right_wrist"]] = pose[J["right_elbow"]] + (-220, 0, 0)
    return pose


def test_standing_pose_has_zero_angles():
    angles = joint_angles_3d(standing_pose_mm()[None]).degrees
    assert set(angles) == set(ANGLE_NAMES)
    for name in ANGLE_NAMES:
        assert angles[name][0] == pytest.approx(0.0, abs=1e-6), name


def test_known_angles_3d():
    angles = joint_angles_3d(posed_mm()[None]).degrees
    expected = {
        "right_knee_flexion": 90.0, "left_knee_flexion": 90.0, "left_hip_flexion": 90.0,
        "right_hip_flexion": 0.0, "left_elbow_flexion": 90.0, "right_elbow_flexion": 0.0,
        "right_shoulder_elevation": 90.0, "left_shoulder_elevation": 0.0, "trunk_lean": 0.0,
    }
    for name, degrees in expected.items():
        assert angles[name][0] == pytest.approx(degrees, abs=1e-6), name


def test_trunk_lean_and_overhead_arm():
    pose = standing_pose_mm()
    lean = np.radians(30.0)
    rotation = np.array([[1, 0, 0], [0, np.cos(lean), -np.sin(lean)], [0, np.sin(lean), np.cos(lean)]])
    upper = [J[name] for name in ("spine", "thorax", "neck_nose", "head", "left_shoulder", "left_elbow",
                                  "left_wrist", "right_shoulder", "right_elbow", "right_wrist")]
    pose[upper] = pose[upper] @ rotation.T  # lean forward 30° about the pelvis
    pose[J["left_elbow"]] = pose[J["left_shoulder"]] - (pose[J["pelvis"]] - pose[J["thorax"]]) * 0.5
    angles = joint_angles_3d(pose[None]).degrees
    assert angles["trunk_lean"][0] == pytest.approx(30.0, abs=1e-6)
    assert angles["left_shoulder_elevation"][0] == pytest.approx(180.0, abs=1e-6)
    # Leaning the trunk forward over straight legs flexes the hips by the same amount.
    assert angles["left_hip_flexion"][0] == pytest.approx(30.0, abs=1e-6)


def test_missing_frames_give_nan():
    poses = np.stack([posed_mm(), np.full((17, 3), np.nan)])
    angles = joint_angles_3d(poses)
    assert angles.is_3d and angles.frame_count == 2
    assert all(np.isfinite(values[0]) and np.isnan(values[1]) for values in angles.degrees.values())


def test_2d_fallback_is_projected_and_drops_low_confidence_joints():
    # A side view: image x = the pose's depth z, image y = its height y (pixels, 0.5 px per mm).
    pose = posed_mm()
    keypoints = np.concatenate([pose[:, [2, 1]] * 0.5 + (300, 200), np.ones((17, 1))], axis=1)
    keypoints[J["left_wrist"], 2] = 0.1
    angles = joint_angles_2d(keypoints[None])
    assert not angles.is_3d
    assert angles.degrees["right_knee_flexion"][0] == pytest.approx(90.0, abs=1e-6)
    assert angles.degrees["left_hip_flexion"][0] == pytest.approx(90.0, abs=1e-6)
    assert np.isnan(angles.degrees["left_elbow_flexion"][0])


def test_wrong_shape_is_rejected():
    with pytest.raises(ValueError):
        joint_angles_3d(np.zeros((5, 17, 2)))
