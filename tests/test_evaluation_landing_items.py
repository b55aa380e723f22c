"""The drop-jump's landings against the mocap's own angles (stsp_app.evaluation.landing_items_validation)."""

import numpy as np
import pytest

from stsp_app.core.paths import shared_data_dir
from stsp_app.drills.drop_jump import SAGITTAL_ITEMS
from stsp_app.evaluation.filmed_mocap import CAMERA_VIEWS_DEG, ground_truth_recording, phone_camera
from stsp_app.evaluation.landing_items_validation import compare_landings, fppa_rows, square_on_kp2d, summary_row
from stsp_app.kinematics.frontal_plane import knee_fppa_deg
from stsp_app.lifting.anthropometry import stature_mm
from stsp_app.lifting.dataset import resample
from stsp_app.mocap.loading import load_motion


@pytest.mark.parametrize("view", ["front", "side"])
def test_the_mocaps_own_landings_agree_with_themselves_and_only_a_side_view_scores_the_sagittal_items(view):
    """CMU 02_04's jumps (training mocap) filmed without error: every figure equals its truth, every item the
    drill scores agrees; the sagittal items are scored from the side and not from the front."""
    motion = load_motion(shared_data_dir() / "mocap/train/cmu-asfamc/02/02_04.amc")
    joints = resample(motion.joints_mm.astype(np.float64), motion.fps, 30.0)
    camera = phone_camera(joints, CAMERA_VIEWS_DEG[view])
    recording = ground_truth_recording(joints, 30.0, camera, float(np.median(stature_mm(joints))))
    rows = compare_landings(recording, recording.motion.angles.degrees)
    assert rows
    for row in rows:
        for side in ("left", "right"):
            assert row[f"{side}_contact"] == pytest.approx(row[f"{side}_contact_true"])
            assert row[f"{side}_peak"] == pytest.approx(row[f"{side}_peak_true"])
        for item in SAGITTAL_ITEMS:
            if view == "side":
                assert row[item] is row[f"{item}_true"] is not None
            else:
                assert row[item] is None
    cells = summary_row("x", rows).split("|")
    assert cells[4].strip() == "0.0 (+0.0)"  # the knee at contact's MAE (bias)


def test_the_fppa_seen_square_on_does_not_depend_on_where_the_person_faces():
    """CMU 02_04's poses turned 40° about the vertical read the same square-on FPPA; a front camera's picture of
    the standing frames reads it within a few degrees, and each scored landing gives both legs' peak."""
    motion = load_motion(shared_data_dir() / "mocap/train/cmu-asfamc/02/02_04.amc")
    joints = resample(motion.joints_mm.astype(np.float64), motion.fps, 30.0)
    turn = np.radians(40.0)
    about_vertical = np.array([[np.cos(turn), 0.0, np.sin(turn)], [0.0, 1.0, 0.0], [-np.sin(turn), 0.0, np.cos(turn)]])
    straight, turned = (knee_fppa_deg(square_on_kp2d(poses)) for poses in (joints, joints @ about_vertical.T))
    for side in ("left", "right"):
        np.testing.assert_allclose(straight[side], turned[side], atol=1e-6)
    recording = ground_truth_recording(joints, 30.0, phone_camera(joints, 0.0), float(np.median(stature_mm(joints))))
    rows = fppa_rows(joints, recording)
    assert rows and {row["side"] for row in rows} == {"left", "right"}
    assert all(np.isfinite([row["camera"], row["square_on"], row["knee"]]).all() for row in rows)
    in_picture = knee_fppa_deg(recording.motion.kp2d)
    standing = recording.motion.angles.degrees["left_knee_flexion"] < 30.0
    assert np.median(np.abs(in_picture["left"][standing] - straight["left"][standing])) < 3.0
