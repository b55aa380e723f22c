"""Foot strikes and toe-offs of running from the feet's 2D image trajectories.

A foot in contact with the ground stands still in the image while the body passes over it; in swing it moves
forwards at about twice the running speed. Per side the foot's points are the ankle joint (``kp2d``) and,
when the recording has BlazePose landmarks, the heel and the toe (``foot_index``, ``kp2d_raw33``). A foot is in
contact on the frames where one of its points moves slower than STILL_LEG_SHARE_PER_S leg lengths per second
in the image (towards the previous or the next frame) and that point is within GROUND_BAND_LEG_SHARE leg lengths of the lowest that side's points reach
within ±GROUND_WINDOW_S (its ground line, which follows a runner who comes closer to the camera); runs of
contact shorter than MIN_CONTACT_FRAMES are noise, and two contacts between which the foot has not moved a stride
(MIN_STRIDE_LEG_SHARE) are one. Foot strike is the first frame of a contact, toe-off the first frame after it
(the first airborne frame, as for take-off in the jump drills).

Left and right follow the 2D keypoints; the analysis has already undone the 2D stage's limb swaps over the whole
clip (``stsp_app.kinematics.limb_sides``, run by the pipeline).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from stsp_app.kinematics.limb_sides import limb_length_px, limb_points_px
from stsp_app.kinematics.signals import consecutive_runs

SIDES = ("left", "right")
# A foot on the ground moves less than this many leg lengths (hip-knee-ankle) per second in the image: a
# swinging foot moves 5-10 leg lengths/s in a sprint and 3-5 in a jog; a stance foot is still (a camera
# panning after the runner adds up to ~1.5).
STILL_LEG_SHARE_PER_S = 2.0
# A foot on the ground is within this many leg lengths of its ground line (its lowest image point nearby).
GROUND_BAND_LEG_SHARE = 0.15
GROUND_WINDOW_S = 0.5
MIN_CONTACT_FRAMES = 2
# Between two contacts of one foot the foot has moved a stride (at least ~1 m, about a leg length, even in the
# first step out of the blocks); a gap after which the foot is back within this many leg lengths of where it
# left is a flicker of the 2D points, not a swing, and the two contacts are one.
MIN_STRIDE_LEG_SHARE = 0.3


@dataclass(frozen=True)
class FootEvent:
    kind: str  # "foot_strike" or "toe_off"
    row: int   # analysis row
    side: str


def contact_rows(foot_px: np.ndarray, leg_px: float, fps: float) -> np.ndarray:
    """(T,) bool: the foot (T, P, 2 points: ankle, heel, toe; NaN unseen) is on the ground."""
    step_px = np.linalg.norm(np.diff(foot_px, axis=0), axis=-1)  # (T-1, P); NaN next to gaps
    edge = np.full((1, foot_px.shape[1]), np.nan)
    # a point is still when it moves little towards the frame before or the one after: the contact's first and
    # last frames count, the swing's do not (a central difference would blur each edge by a frame)
    speed_px_s = np.fmin(np.concatenate([edge, step_px]), np.concatenate([step_px, edge])) * fps
    lowest_y = np.nanmax(np.where(np.isfinite(foot_px[..., 1]), foot_px[..., 1], -np.inf), axis=1)
    lowest_y[~np.isfinite(lowest_y)] = np.nan
    half = max(1, round(GROUND_WINDOW_S * fps))
    ground_y = np.array([np.nanmax(lowest_y[max(0, t - half):t + half + 1])
                         if np.isfinite(lowest_y[max(0, t - half):t + half + 1]).any() else np.nan
                         for t in range(len(lowest_y))])
    near_ground = foot_px[..., 1] >= (ground_y - GROUND_BAND_LEG_SHARE * leg_px)[:, None]
    still = speed_px_s <= STILL_LEG_SHARE_PER_S * leg_px
    contact = (near_ground & still).any(axis=1)
    for run in consecutive_runs(contact):
        if run.stop - run.start < MIN_CONTACT_FRAMES:
            contact[run] = False
    runs = consecutive_runs(contact)
    for before, after in pairwise(runs):
        moved_px = np.linalg.norm(_foot_position_px(foot_px[after.start])
                                  - _foot_position_px(foot_px[before.stop - 1]))
        if moved_px < MIN_STRIDE_LEG_SHARE * leg_px:
            contact[before.stop:after.start] = True
    return contact


def _foot_position_px(points_px: np.ndarray) -> np.ndarray:
    """The mean of a foot's seen points (P, 2) on one frame (NaN when none is seen)."""
    seen = np.isfinite(points_px).all(axis=1)
    return points_px[seen].mean(axis=0) if seen.any() else np.full(2, np.nan)


def foot_events(kp2d: np.ndarray, kp2d_raw33: np.ndarray, fps: float) -> list[FootEvent]:
    """Foot strikes and toe-offs of both feet, in row order. A contact that runs into the start or the end of
    the recording gives only the event seen inside it."""
    leg_px = limb_length_px(kp2d, "leg")
    if not np.isfinite(leg_px) or leg_px <= 0:
        return []
    events = []
    for side in SIDES:
        contact = contact_rows(limb_points_px(kp2d, kp2d_raw33, "leg", side)[:, 1:], leg_px, fps)  # ankle, heel, toe
        for run in consecutive_runs(contact):
            if run.start > 0:
                events.append(FootEvent("foot_strike", run.start, side))
            if run.stop < len(contact):
                events.append(FootEvent("toe_off", run.stop, side))
    return sorted(events, key=lambda event: (event.row, event.kind))
