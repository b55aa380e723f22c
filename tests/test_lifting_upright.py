"""The lifted 3D turned to stand along gravity (stsp_app.lifting.upright)."""

import numpy as np
from scipy.spatial.transform import Rotation

from stsp_app.core.lens import assumed_focal_px
from stsp_app.core.skeleton import JOINT_INDEX, NUM_JOINTS
from stsp_app.lifting.upright import upright_poses

SIZE = (1080, 1920)
PELVIS, THORAX, HEAD = JOINT_INDEX["pelvis"], JOINT_INDEX["thorax"], JOINT_INDEX["head"]


def standing_pose_mm() -> np.ndarray:
    """A body in level axes (y down), its trunk straight up, arms and legs out of line with it."""
    rng = np.random.default_rng(0)
    pose = rng.normal(0.0, 150.0, (NUM_JOINTS, 3))
    pose[PELVIS] = 0.0
    pose[THORAX] = [0.0, -450.0, 0.0]
    return pose


def trunk_lean_deg(pose: np.ndarray) -> float:
    trunk = pose[THORAX] - pose[PELVIS]
    return float(np.degrees(np.arccos(-trunk[1] / np.linalg.norm(trunk))))


def seen_along(pose_level: np.ndarray, pitch_deg: float, root_px: np.ndarray) -> np.ndarray:
    """The pose as the lifter gives it: in the axes of the camera pitched down by ``pitch_deg``, turned onto the
    ray to ``root_px``."""
    to_camera = Rotation.from_rotvec([np.radians(pitch_deg), 0.0, 0.0])  # level -> pitched camera
    ray = np.r_[(root_px - np.array(SIZE) / 2.0) / assumed_focal_px(SIZE), 1.0]
    ray /= np.linalg.norm(ray)
    axis = np.cross([0.0, 0.0, 1.0], ray)
    to_ray = Rotation.from_rotvec(axis / max(np.linalg.norm(axis), 1e-12) * np.arctan2(np.linalg.norm(axis), ray[2]))
    return (to_ray.inv() * to_camera).apply(pose_level)


def test_a_pitched_camera_and_a_child_off_centre_leave_the_body_upright():
    pose = standing_pose_mm()
    for pitch_deg, root_px in [(0.0, [540.0, 960.0]), (20.0, [540.0, 960.0]), (-8.0, [200.0, 1700.0]),
                               (12.0, [900.0, 300.0])]:
        lifted = seen_along(pose, pitch_deg, np.array(root_px))
        if pitch_deg or root_px != [540.0, 960.0]:
            assert trunk_lean_deg(lifted) > 5.0  # as lifted, the trunk leans by the camera's view of it
        upright = upright_poses(lifted[None], np.array([root_px]), SIZE, pitch_deg)[0]
        assert trunk_lean_deg(upright) < 0.01
        np.testing.assert_allclose(upright, pose, atol=1e-6)


def test_rows_without_a_person_stay_empty_and_bones_keep_their_length():
    pose = standing_pose_mm()
    poses = np.stack([seen_along(pose, 5.0, np.array([540.0, 1600.0])), np.full((NUM_JOINTS, 3), np.nan)])
    roots = np.array([[540.0, 1600.0], [np.nan, np.nan]])
    upright = upright_poses(poses.astype(np.float32), roots, SIZE, 5.0)
    assert upright.dtype == np.float32 and np.isnan(upright[1]).all()
    assert trunk_lean_deg(upright[0]) < 0.01
    bones = np.linalg.norm(poses[0] - poses[0, PELVIS], axis=1)
    np.testing.assert_allclose(np.linalg.norm(upright[0] - upright[0, PELVIS], axis=1), bones, rtol=1e-5)
