"""Joint 9 of every imported motion is a nose in front of the face, as the app's 2D stage has it."""

from __future__ import annotations

import numpy as np
import pytest
from mocap_checks import DATA

from stsp_app.core.skeleton import JOINT_INDEX as J
from stsp_app.core.skeleton import trunk_forward
from stsp_app.mocap import iter_motions, load_motion
from stsp_app.mocap.joint_maps import apply_joint_map
from stsp_app.mocap.nose import (
    NOSE_ALONG_THORAX_TO_HEAD,
    NOSE_FORWARD_PER_THORAX_TO_HEAD,
    place_nose,
)


def standing_pose_facing(forward: np.ndarray) -> np.ndarray:
    """A standing adult (mm, +Y up) facing ``forward`` (horizontal unit vector)."""
    right = np.cross(forward, [0.0, 1.0, 0.0])  # the person's right: forward x up
    pose = np.zeros((17, 3))
    for name, (side_mm, height_mm) in {
        "pelvis": (0, 950), "right_hip": (100, 950), "right_knee": (100, 500), "right_ankle": (100, 80),
        "left_hip": (-100, 950), "left_knee": (-100, 500), "left_ankle": (-100, 80), "spine": (0, 1180),
        "thorax": (0, 1450), "head": (0, 1700), "left_shoulder": (-180, 1420), "left_elbow": (-200, 1150),
        "left_wrist": (-210, 900), "right_shoulder": (180, 1420), "right_elbow": (200, 1150),
        "right_wrist": (210, 900),
    }.items():
        pose[J[name]] = side_mm * right + [0.0, height_mm, 0.0]
    return pose


@pytest.mark.parametrize("forward", [(0.0, 0.0, 1.0), (1.0, 0.0, 0.0), (-0.6, 0.0, -0.8)])
def test_the_nose_sits_in_front_of_the_neck_whichever_way_the_person_faces(forward):
    forward = np.asarray(forward)
    pose = standing_pose_facing(forward)
    np.testing.assert_allclose(trunk_forward(pose), forward, atol=1e-9)
    nose = place_nose(pose)
    reach_mm = 250.0  # thorax 1450 mm to head 1700 mm
    on_the_line = np.array([0.0, 1450 + NOSE_ALONG_THORAX_TO_HEAD * reach_mm, 0.0])
    np.testing.assert_allclose(nose, on_the_line + NOSE_FORWARD_PER_THORAX_TO_HEAD * reach_mm * forward)


def test_the_joint_map_places_joint_9_and_refuses_a_source_for_it():
    pose = standing_pose_facing(np.array([0.0, 0.0, 1.0]))
    names = [name for name in J if name != "neck_nose"]
    joint_map = {name: (name,) for name in names}
    joints = apply_joint_map(joint_map, lambda name: pose[None, J[name]])
    np.testing.assert_allclose(joints[0, J["neck_nose"]], place_nose(pose))
    with pytest.raises(ValueError, match="placed as a nose"):
        apply_joint_map({**joint_map, "neck_nose": ("head",)}, lambda name: pose[None, J[name]])


def knee_bend_mm(joints: np.ndarray, forward: np.ndarray) -> np.ndarray:
    """How far each knee sits in front of its hip-ankle line, per frame (positive: bent forward)."""
    bends = [joints[:, knee] - (joints[:, hip] + joints[:, ankle]) / 2 for hip, knee, ankle in ((1, 2, 3), (4, 5, 6))]
    return np.concatenate([(bend * forward).sum(-1) for bend in bends])


@pytest.mark.parametrize(
    "path",
    [
        "mocap/train/cmu-asfamc/01/01_01.amc",
        "mocap/train/cmu-bvh/006/006_01.bvh",
        "mocap/train/cmu-bvh/131/131_01.bvh",
        "mocap/eval/cmu-bvh/10_01.bvh",
    ],
)
def test_every_rig_gets_its_nose_on_the_side_its_knees_bend(path):
    joints = load_motion(DATA / path).joints_mm.astype(np.float64)
    forward = trunk_forward(joints)
    assert np.percentile(knee_bend_mm(joints, forward), 90) > 50.0
    nose_ahead_mm = ((joints[:, J["neck_nose"]] - joints[:, J["thorax"]]) * forward).sum(-1)
    assert np.median(nose_ahead_mm) > 40.0


def test_kinect_children_face_the_sensor_and_so_does_their_nose():
    path = next((DATA / "eval/kinder-gator/Children").rglob("POSE-p103_01-*.csv"))
    joints = load_motion(path).joints_mm.astype(np.float64)
    towards_sensor = -joints[:, J["pelvis"]] * [1.0, 0.0, 1.0]
    towards_sensor /= np.linalg.norm(towards_sensor, axis=-1, keepdims=True)
    assert np.median((trunk_forward(joints) * towards_sensor).sum(-1)) > 0.9


def test_humaneva_walkers_bend_their_knees_towards_their_nose():
    walk = next(m for m in iter_motions(DATA / "eval/humaneva/data_3d_humaneva15.npz") if "Walking" in m.name)
    joints = walk.joints_mm.astype(np.float64)
    assert np.percentile(knee_bend_mm(joints, trunk_forward(joints)), 90) > 50.0
