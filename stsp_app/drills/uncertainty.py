"""The ± a drill metric carries: the joint-angle error measured on held-out data, and one frame for timings.

Angle errors are the mean absolute errors of the 3D stage's joint angles against ground truth on the
held-out Kinder-Gator children (Kinect v1, 150 clips) seen through unseen virtual cameras with EPE-like 2D
noise, the held-out set closest to what the app is used for, as
``stsp-coach eval-3d out/clips/kg_children_epe`` reports them (docs/RESULTS.md, "Joint angles"): by the view the
picture shows (``mae_by_image_view_deg``, the views of ``kinematics.frontal_plane.IMAGE_VIEWS``) where the
recording's view is known, over all frames otherwise. From the front a bend towards the camera hardly shows in
the picture, and the knee's error there is twice the side view's. Kinect's own noise (1-3 cm) is part of these
figures, so they are on the safe side; the CMU kicks (marker mocap) read lower. Re-measure and update them
whenever the lifting models change.
"""

from __future__ import annotations

# Mean absolute error (degrees) per angle family: shipped models, children, EPE-like 2D; all frames, then by the
# view the picture shows (front / between / side: 3,497 / 4,779 / 11,586 frames).
ANGLE_ERROR_DEG: dict[str, float] = {
    "knee_flexion": 15.0,
    "hip_flexion": 6.0,
    "elbow_flexion": 14.8,
    "shoulder_elevation": 10.9,
    "trunk_lean": 5.1,
}
ANGLE_ERROR_BY_VIEW_DEG: dict[str, dict[str, float]] = {
    "knee_flexion": {"front": 22.9, "between": 18.7, "side": 11.0},
    "hip_flexion": {"front": 10.1, "between": 6.5, "side": 4.6},
    "elbow_flexion": {"front": 17.3, "between": 16.0, "side": 13.5},
    "shoulder_elevation": {"front": 11.1, "between": 8.8, "side": 11.8},
    "trunk_lean": {"front": 7.8, "between": 5.0, "side": 4.3},
}
# Knee valgus (FPPA, 2D) against the angle of hand-placed joint centres on the front-view jump clip's labelled frames
# (stsp-coach eval-drills --part valgus: within 2-4°).
FPPA_ERROR_DEG = 5.0
GRAVITY_M_S2 = 9.80665
# Squat depth read in a side view's image (hip joints below the top of the knees, in thigh lengths): how far the
# reading moves between copies of one clip that a coach could have filmed instead (squat_side.mp4 as filmed,
# mirrored, at half size and with its edges cut: the two reps read 0.10 / 0.09 as filmed and -0.12 / -0.06
# mirrored, 0.06-0.09 otherwise; session 15). The landmark network places the hip joint a few pixels differently
# on each copy, and the margin of a squat to parallel is a few centimetres.
SQUAT_DEPTH_MARGIN_ERROR_THIGH = 0.1
# Where the true knee is straight, the 3D stage reads it this much too bent (degrees) by the view: children,
# clean 2D, by the angle between the camera's axis and the child's facing (docs/RESULTS.md, "Why knees are
# pulled toward the mean"). From the front a knee's bend towards the camera barely shows in the picture.
KNEE_STRAIGHT_BIAS_FRONT_DEG = 26.6  # 0-30 degrees: filmed from the front or the back
KNEE_STRAIGHT_BIAS_SIDE_DEG = 7.4    # 60-90 degrees: from the side
KNEE_VIEW_NOTE = (
    "Filmed from the front or the back: a knee's bend towards or away from the camera barely shows in the picture, "
    f"and from the front the 3D reads straight legs about {KNEE_STRAIGHT_BIAS_FRONT_DEG:.0f}° too bent "
    f"(about {KNEE_STRAIGHT_BIAS_SIDE_DEG:.0f}° from the side). For knee flexion, film from the side.")


def angle_error_deg(angle_name: str, view: str | None = None) -> float:
    """± for an angle of docs/metrics.md ("left_knee_flexion", "trunk_lean" …) read from a recording filmed from
    ``view`` ("front", "between" or "side": ``Recording.view``; None: not known)."""
    for family, error in ANGLE_ERROR_DEG.items():
        if angle_name.endswith(family):
            return error if view is None else ANGLE_ERROR_BY_VIEW_DEG[family][view]
    raise KeyError(f"no measured error for the angle {angle_name!r}")


def timing_error_s(fps: float, frames: float = 1.0) -> float:
    """± of a time read off the video: ``frames`` frames (one by default)."""
    return frames / fps


def flight_height_error_cm(flight_time_s: float, flight_time_error_s: float) -> float:
    """± of the flight-time height h = g t² / 8 for a flight time known to ± ``flight_time_error_s``:
    dh = g t dt / 4."""
    return 100.0 * GRAVITY_M_S2 * flight_time_s * flight_time_error_s / 4.0
