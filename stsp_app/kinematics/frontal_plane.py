"""The knee's 2D frontal-plane projection angle (FPPA) from image keypoints, valgus positive on both sides.

FPPA (Willson & Davis 2008; Munro et al. 2012): in a front (or back) view, the angle between the thigh line
(hip -> knee) and the shank line (knee -> ankle), i.e. 180 degrees minus the inner angle at the knee in the
image. It is signed: positive (valgus) when the knee lies medially of the hip-ankle line, i.e. towards the
body's midline, which is the side where the other hip is; negative (varus) when it lies laterally. Taking
"medial" from the other hip makes the sign the same for both legs and for front and back views.

The angle only means valgus in a view facing the child: from the side the two hips overlap in the image and
knee flexion shows as a projected "FPPA". ``frontal_view_share`` tells how frontal a frame is, ``filmed_view``
which of the picture's views (front or back, between, side) a stretch of frames was filmed from, and
``filmed_from_the_side`` and ``filmed_from_the_front`` whether it is a side or a front (or back) view: the drills
read frontal-plane measures (the FPPA, ``knee_ankle_separation_ratio``) from the front only and the angles' ±
by the view.
"""

from __future__ import annotations

import numpy as np

from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.kinematics.joint_angles import MIN_CONFIDENCE_2D

SIDES = ("left", "right")
_OTHER = {"left": "right", "right": "left"}
# A side view: the image hip width is under this share of the image thigh length (median over the frames;
# facing the camera it is ~0.5-0.6; 0.3 is about 30 degrees off a pure side view).
SIDE_VIEW_MAX_HIP_SHARE = 0.3
# A front or back view: the share is at least this (about 40 degrees or less off facing the camera; the share
# falls roughly with the cosine of that angle). Running side views read up to 0.35 (the pelvis turns with each
# stride: sprint_start_b1.mp4 0.32, mirrored at half size 0.35), front views 0.46-0.52 (the jump, kick and
# basketball clips), so between the two a view is neither.
FRONT_VIEW_MIN_HIP_SHARE = 0.4


def fppa_deg(hip_px: np.ndarray, knee_px: np.ndarray, ankle_px: np.ndarray, other_hip_px: np.ndarray) -> np.ndarray:
    """Signed FPPA (degrees, valgus positive) of one leg from (..., 2) image points; NaN where undefined."""
    thigh = knee_px - hip_px
    shank = ankle_px - knee_px
    cross = thigh[..., 0] * shank[..., 1] - thigh[..., 1] * shank[..., 0]
    dot = np.sum(thigh * shank, axis=-1)
    magnitude = np.degrees(np.abs(np.arctan2(cross, dot)))  # 0 with the leg straight in the image
    # The knee's offset from the hip-ankle line, positive towards the other hip (medially).
    line = ankle_px - hip_px
    with np.errstate(invalid="ignore", divide="ignore"):
        along = np.sum((knee_px - hip_px) * line, axis=-1) / np.sum(line * line, axis=-1)
    offset = knee_px - (hip_px + along[..., None] * line)
    medial = np.sum(offset * (other_hip_px - hip_px), axis=-1)
    return np.where(np.isfinite(medial), np.sign(medial) * magnitude, np.nan)


def knee_fppa_deg(kp2d: np.ndarray, min_confidence: float = MIN_CONFIDENCE_2D) -> dict[str, np.ndarray]:
    """Per side ("left", "right": the child's own) the signed FPPA series (T,) from 17-joint 2D keypoints
    (T, 17, 3); NaN where a needed keypoint is below ``min_confidence``."""
    points = np.asarray(kp2d, dtype=np.float64)[..., :2].copy()
    points[~(np.nan_to_num(np.asarray(kp2d)[..., 2]) >= min_confidence)] = np.nan
    joint = lambda name: points[:, JOINT_INDEX[name]]
    return {side: fppa_deg(joint(f"{side}_hip"), joint(f"{side}_knee"), joint(f"{side}_ankle"),
                           joint(f"{_OTHER[side]}_hip"))
            for side in SIDES}


def knee_ankle_separation_ratio(kp2d: np.ndarray) -> np.ndarray:
    """(T,) the knees' distance apart over the ankles' in the image (x only; the knee-to-ankle separation ratio that
    front-view jump and squat screening reads): under 1 the knees are closer together than the ankles (valgus),
    about 1 over the feet; NaN where a point is not seen (``MIN_CONFIDENCE_2D``). Unlike the FPPA it keeps its
    meaning in a deep bend, where the thigh points at the camera and its image line is a few pixels long."""
    points = np.asarray(kp2d, dtype=np.float64)
    x = lambda name: np.where(points[:, JOINT_INDEX[name], 2] >= MIN_CONFIDENCE_2D, points[:, JOINT_INDEX[name], 0],
                              np.nan)
    ankles = np.abs(x("left_ankle") - x("right_ankle"))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ankles > 0, np.abs(x("left_knee") - x("right_knee")) / ankles, np.nan)


def frontal_view_share(kp2d: np.ndarray) -> np.ndarray:
    """(T,) image hip width over image thigh length (mean of both thighs): about 0.4-0.6 facing the camera,
    near 0 from the side. The FPPA means valgus from a front or back view only (``filmed_from_the_front``)."""
    return hip_width_in_thighs(np.asarray(kp2d, dtype=np.float64)[..., :2])


def hip_width_in_thighs(points: np.ndarray) -> np.ndarray:
    """(T,) the distance between the hip joints over the mean thigh length, for (T, 17, D) points: in the
    image (D = 2) or in 3D."""
    hips = np.linalg.norm(points[:, JOINT_INDEX["left_hip"]] - points[:, JOINT_INDEX["right_hip"]], axis=-1)
    thighs = np.mean([np.linalg.norm(points[:, JOINT_INDEX[f"{side}_knee"]] - points[:, JOINT_INDEX[f"{side}_hip"]],
                                     axis=-1) for side in SIDES], axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return hips / thighs


# The views the picture tells apart: "front" (or back), "side", and "between" the two (about 30-50° off either).
IMAGE_VIEWS: tuple[str, ...] = ("front", "between", "side")


def view_of_share(share: np.ndarray) -> np.ndarray:
    """The view (IMAGE_VIEWS) of each ``frontal_view_share`` value; "" where it is NaN."""
    share = np.asarray(share, dtype=np.float64)
    return np.where(~np.isfinite(share), "", np.where(share >= FRONT_VIEW_MIN_HIP_SHARE, "front",
                                                      np.where(share < SIDE_VIEW_MAX_HIP_SHARE, "side", "between")))


def filmed_view(kp2d: np.ndarray) -> str | None:
    """The view (IMAGE_VIEWS) (T, 17, 3) keypoints were filmed from, read from the median ``frontal_view_share``;
    None when no frame tells."""
    share = _median_view_share(kp2d)
    return None if share is None else str(view_of_share(share))


def filmed_from_the_side(kp2d: np.ndarray) -> bool | None:
    """Whether (T, 17, 3) keypoints were filmed from the side (median ``frontal_view_share`` under
    SIDE_VIEW_MAX_HIP_SHARE); None when no frame tells."""
    view = filmed_view(kp2d)
    return None if view is None else view == "side"


def filmed_from_the_front(kp2d: np.ndarray) -> bool | None:
    """Whether (T, 17, 3) keypoints were filmed from the front or the back (median ``frontal_view_share`` at
    least FRONT_VIEW_MIN_HIP_SHARE); None when no frame tells."""
    view = filmed_view(kp2d)
    return None if view is None else view == "front"


def _median_view_share(kp2d: np.ndarray) -> float | None:
    share = frontal_view_share(kp2d)
    return float(np.nanmedian(share)) if np.isfinite(share).any() else None
