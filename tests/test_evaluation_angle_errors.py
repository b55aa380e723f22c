"""Joint-angle errors of eval-3d on poses built in the test."""

from __future__ import annotations

import numpy as np

from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.evaluation.angle_errors import PooledAngleErrors


def _standing(frames: int) -> np.ndarray:
    """A person standing straight, camera axes (y down), mm, with slightly bent elbows."""
    pose = np.zeros((17, 3))
    places = {
        "pelvis": (0, 0, 0), "right_hip": (-100, 0, 0), "right_knee": (-100, 450, 0), "right_ankle": (-100, 900, 0),
        "left_hip": (100, 0, 0), "left_knee": (100, 450, 0), "left_ankle": (100, 900, 0), "spine": (0, -250, 0),
        "thorax": (0, -500, 0), "neck_nose": (0, -600, -50), "head": (0, -700, 0),
        "left_shoulder": (180, -480, 0), "left_elbow": (190, -200, 0), "left_wrist": (190, 50, -60),
        "right_shoulder": (-180, -480, 0), "right_elbow": (-180, -200, 0), "right_wrist": (-180, 50, -60),
    }
    for name, xyz in places.items():
        pose[JOINT_INDEX[name]] = xyz
    return np.repeat(pose[None], frames, axis=0)


def _image(pose_mm: np.ndarray) -> np.ndarray:
    """(T, 17, 3) 2D keypoints of camera-axes poses seen from afar (x, y, confidence 1)."""
    return np.concatenate([pose_mm[..., :2], np.ones(pose_mm.shape[:2] + (1,))], axis=-1)


def test_identical_poses_have_no_error():
    errors = PooledAngleErrors()
    truth = _standing(20)
    errors.add(truth.copy(), truth, fps=30.0, kp2d=_image(truth))
    angles = errors.metrics()["angles"]
    for family, entry in angles.items():
        assert entry["mae_deg"] == 0.0, family
        assert entry["velocity_mae_deg_s"] == 0.0, family
    assert angles["knee_flexion"]["standing_frames"] == 20
    assert angles["knee_flexion"]["straight_bias_deg"] == 0.0


def test_a_knee_bent_forward_in_depth_reads_as_a_positive_bias_on_straight_legs():
    truth = _standing(10)
    predicted = truth.copy()
    # both knees pushed 80 mm toward the camera: the straight legs read bent (the lifter's depth error)
    for side in ("left", "right"):
        predicted[:, JOINT_INDEX[f"{side}_knee"], 2] -= 80.0
    errors = PooledAngleErrors()
    errors.add(predicted, truth, fps=30.0, kp2d=_image(truth))
    knee = errors.metrics()["angles"]["knee_flexion"]
    expected_deg = 2 * np.degrees(np.arctan2(80.0, 450.0))
    assert abs(knee["straight_bias_deg"] - expected_deg) < 0.1
    assert knee["deep_bias_deg"] is None and knee["deep_leg_frames"] == 0
    assert abs(knee["mae_deg"] - expected_deg) < 0.1
    # the person faces the camera (the front view): the bias is reported in that view's band only
    assert abs(knee["straight_bias_by_view_deg"]["0-30"] - expected_deg) < 0.1
    assert knee["straight_bias_by_view_deg"]["60-90"] is None


def test_a_person_seen_from_the_side_falls_in_the_side_band():
    turned = _standing(10)[..., [2, 1, 0]]  # x and z exchanged: the person now faces along the image's x axis
    errors = PooledAngleErrors()
    errors.add(turned.copy(), turned, fps=30.0, kp2d=_image(turned))
    bands = errors.metrics()["angles"]["knee_flexion"]["straight_bias_by_view_deg"]
    assert bands == {"0-30": None, "30-60": None, "60-90": 0.0}


def test_errors_by_the_view_the_picture_shows():
    """The MAE by the view as the drills read it from the 2D (the hips' image width over the thighs'): a knee
    bent in depth from the front falls in "front", the same person from the side in "side"."""
    truth = _standing(10)
    predicted = truth.copy()
    for side in ("left", "right"):
        predicted[:, JOINT_INDEX[f"{side}_knee"], 2] -= 80.0
    turned = _standing(6)[..., [2, 1, 0]]
    errors = PooledAngleErrors()
    errors.add(predicted, truth, fps=30.0, kp2d=_image(truth))
    errors.add(turned.copy(), turned, fps=30.0, kp2d=_image(turned))
    knee = errors.metrics()["angles"]["knee_flexion"]
    assert knee["frames_by_image_view"] == {"front": 10, "between": 0, "side": 6}
    assert abs(knee["mae_by_image_view_deg"]["front"] - 2 * np.degrees(np.arctan2(80.0, 450.0))) < 0.1
    assert knee["mae_by_image_view_deg"]["side"] == 0.0
    assert knee["mae_by_image_view_deg"]["between"] is None


def test_frames_without_prediction_are_left_out_and_velocity_error_is_per_second():
    truth = _standing(30)
    predicted = truth.copy()
    # the right elbow bends steadily in the prediction only: an angular-velocity error
    angles_rad = np.radians(np.linspace(0.0, 29.0, 30))  # 1 degree per frame = 30 deg/s at 30 fps
    elbow = truth[0, JOINT_INDEX["right_elbow"]]
    forearm = 250.0
    predicted[:, JOINT_INDEX["right_wrist"]] = elbow + np.stack(
        [np.zeros(30), forearm * np.cos(angles_rad), -forearm * np.sin(angles_rad)], axis=1)
    truth[:, JOINT_INDEX["right_wrist"]] = elbow + np.array([0.0, forearm, 0.0])
    predicted[5] = np.nan
    errors = PooledAngleErrors()
    errors.add(predicted, truth, fps=30.0, kp2d=_image(truth))
    elbow_errors = errors.metrics()["angles"]["elbow_flexion"]
    # left elbows agree (error 0), right elbows move at 30 deg/s too fast: the pooled mean is half
    assert abs(elbow_errors["velocity_mae_deg_s"] - 15.0) < 0.5


def test_a_pelvis_turned_towards_the_picture_reads_as_a_more_frontal_view_and_narrower_hips():
    """The averaging of an unsure lifter: the true person is seen from the side (hip line along the camera's
    axis); the prediction keeps the hips' image positions but halves their depth difference."""
    truth = _standing(10)[..., [2, 1, 0]]  # faces along the image's x axis: the side band
    predicted = truth.copy()
    for side in ("left", "right"):
        predicted[:, JOINT_INDEX[f"{side}_hip"], 2] /= 2  # hips at z = ±50 instead of ±100 mm
        predicted[:, JOINT_INDEX[f"{side}_hip"], 0] += {"left": 30.0, "right": -30.0}[side]
    errors = PooledAngleErrors()
    errors.add(predicted, truth, fps=30.0, kp2d=_image(truth))
    bands = errors.metrics()["facing"]["view_by_band"]
    assert bands["0-30"]["frames"] == 0 and bands["0-30"]["predicted_median_deg"] is None
    side = bands["60-90"]
    assert side["frames"] == 10 and side["true_median_deg"] == 90.0
    expected_view_deg = np.degrees(np.arctan2(100.0, 60.0))  # hip line (60, 0, 100): turned 31° off the side
    assert abs(side["predicted_median_deg"] - expected_view_deg) < 0.5
    # the hips 2 * sqrt(30² + 50²) mm apart against 200 mm (the thighs, 450 mm, lengthen by under 1 %)
    assert abs(side["hip_width_ratio"] - np.hypot(60.0, 100.0) / 200.0) < 0.02
