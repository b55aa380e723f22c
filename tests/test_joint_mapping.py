"""BlazePose 33 -> H36M 17 mapping on hand-built landmarks."""

from __future__ import annotations

import numpy as np

from stsp_app.core.skeleton import BLAZEPOSE_LANDMARK_NAMES as BLAZEPOSE_NAMES
from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.core.trunk_joints import TRUNK_FRACTIONS
from stsp_app.epe.joint_mapping import HEAD_TOP_ABOVE_EARS, blazepose_to_h36m


def _landmarks(**positions):
    points = np.zeros((33, 2))
    for name, xy in positions.items():
        points[BLAZEPOSE_NAMES.index(name)] = xy
    return points


def test_direct_and_derived_joints():
    points = _landmarks(
        left_hip=(120, 300), right_hip=(80, 300), left_shoulder=(130, 150), right_shoulder=(70, 150),
        left_knee=(122, 380), right_wrist=(40, 260), nose=(100, 100),
        left_ear=(112, 98), right_ear=(88, 98), left_eye=(106, 94), right_eye=(94, 94),
        mouth_left=(104, 108), mouth_right=(96, 108),
    )
    confidence = np.full(33, 0.9)
    confidence[BLAZEPOSE_NAMES.index("right_hip")] = 0.3
    joints = blazepose_to_h36m(points, confidence)
    assert joints.shape == (17, 3)
    # on the trunk line from the hips' midpoint (100, 300) to the shoulders' (100, 150), 150 px long; the pelvis
    # with its hips' weakest confidence, the thorax with its shoulders'
    fractions = TRUNK_FRACTIONS
    np.testing.assert_allclose(joints[JOINT_INDEX["pelvis"]], [100, 300 - 150 * fractions["pelvis_above_hips"], 0.3])
    np.testing.assert_allclose(joints[JOINT_INDEX["spine"]], [100, 300 - 150 * fractions["spine_above_hips"], 0.3])
    thorax_y = 150 - 150 * fractions["thorax_above_shoulders"]
    np.testing.assert_allclose(joints[JOINT_INDEX["thorax"]], [100, thorax_y, 0.9])
    assert joints[JOINT_INDEX["pelvis"], 1] < 300 and joints[JOINT_INDEX["thorax"], 1] < 150  # both moved up
    np.testing.assert_allclose(joints[JOINT_INDEX["left_knee"], :2], [122, 380])
    np.testing.assert_allclose(joints[JOINT_INDEX["right_wrist"], :2], [40, 260])
    np.testing.assert_allclose(joints[JOINT_INDEX["neck_nose"], :2], [100, 100])
    # head top: above the ear line along mouth -> eyes (upwards here)
    np.testing.assert_allclose(joints[JOINT_INDEX["head"], :2], [100, 98 - HEAD_TOP_ABOVE_EARS * 14])


def test_batched_3d_input():
    points = np.random.default_rng(0).normal(size=(5, 33, 3))
    joints = blazepose_to_h36m(points, np.ones((5, 33)))
    assert joints.shape == (5, 17, 4)
    np.testing.assert_allclose(joints[:, JOINT_INDEX["right_knee"], :3], points[:, BLAZEPOSE_NAMES.index("right_knee")])

