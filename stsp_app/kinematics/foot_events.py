"""Foot strikes and toe-offs of running from the feet's 2D image trajectories.

A foot in contact with the ground moves with the ground while the body passes over it; in swing it moves
forwards at about twice the running speed. Per side the foot's points are the ankle joint (``kp2d``) and,
when the recording has BlazePose landmarks, the heel and the toe (``foot_index``, ``kp2d_raw33``). A foot is in
contact on the frames where one of its points moves slower than STILL_LEG_SHARE_PER_S leg lengths per second
against the ground (towards the previous or the next frame) and that point is within GROUND_BAND_LEG_SHARE leg
lengths of the lowest that side's points reach within ±GROUND_WINDOW_S (its ground line, which follows a runner
who comes closer to the camera); runs of contact shorter than MIN_CONTACT_FRAMES are noise, and two contacts
between which the foot has not moved a stride against the ground (MIN_STRIDE_LEG_SHARE) are one. Foot strike is
the first frame of a contact, toe-off the first frame after it (the first airborne frame, as for take-off in
the jump drills).

A phone is seldom held level, and a runner crossing a picture tilted by a few degrees runs uphill or downhill in
it: over a stride of two leg lengths, 3 degrees lift the ground by a tenth of a leg length, most of the ground
band. Where the feet stand still at places across the picture, the ground's slope in the picture
(:func:`ground_slope`) is taken out first: each point's image y is read from that line, not from the picture's
rows.

The ground's own motion in the image (:func:`ground_velocity_px_s`) is zero for a camera on a tripod beside the
track, the belt's speed on a treadmill and the pan's speed where the camera turns after the runner: it is the
horizontal speed most of the lowest foot points share around each frame, since a foot on the ground moves with
it and a swinging or airborne foot does not (only points on their ground line count).

Left and right follow the 2D keypoints; the analysis has already undone the 2D stage's limb swaps over the whole
clip (``stsp_app.kinematics.limb_sides``, run by the pipeline).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import ndimage, stats

from stsp_app.kinematics.limb_sides import limb_length_px, limb_points_px
from stsp_app.kinematics.motion_series import inside_picture, tracked_rows
from stsp_app.kinematics.signals import consecutive_runs

SIDES = ("left", "right")
# A foot on the ground moves less than this many leg lengths (hip-knee-ankle) per second against the ground in
# the image: a swinging foot moves 5-10 leg lengths/s in a sprint and 3-5 in a jog; a stance foot is still.
STILL_LEG_SHARE_PER_S = 2.0
# A foot on the ground is within this many leg lengths of its ground line (its lowest image point nearby).
GROUND_BAND_LEG_SHARE = 0.15
GROUND_WINDOW_S = 0.5
MIN_CONTACT_FRAMES = 2
# Between two contacts of one foot the foot has moved a stride (at least ~1 m, about a leg length, even in the
# first step out of the blocks); a gap after which the foot is back within this many leg lengths of where it
# left is a flicker of the 2D points, not a swing, and the two contacts are one.
MIN_STRIDE_LEG_SHARE = 0.3
# The ground's speed in the image is read over ±GROUND_SPEED_WINDOW_S (two or more contacts of each foot in a
# run or a walk) as the speed shared by the most lowest-foot points.
GROUND_SPEED_WINDOW_S = 1.0
# Points move together when their speeds are within ± half the still-foot speed of each other: the same
# tolerance as a foot standing still on a still ground (0.5, tried first, split a sprinter's stance toe, whose
# 2D point jitters by 2-3 px a frame, into groups too small to be found under a panning camera).
GROUND_SPEED_BAND_LEG_SHARE_PER_S = STILL_LEG_SHARE_PER_S / 2
# A moving ground carries the stance foot of every step. On simulated treadmills (CMU 02_01-02_03 of mocap/train,
# walks and a jog, the belt taking the body's mean speed, filmed from the side, clean and EPE-like 2D) the belt's
# group of lowest foot points held at least this share of the frames in 95 % of the windows; on the fixed-camera
# sprint clips a moving group (a swinging foot, a runner leaving the picture) was the largest in 10 windows,
# holding at most 8 % of the frames.
MOVING_GROUND_MIN_SHARE = 0.25
# The ground's slope is read where the still foot points spread over at least this many leg lengths across the
# picture (two steps of a jog or a sprint); over less (a squat, a jump, a treadmill) a slope does not matter, as
# the ground line is read within ±GROUND_WINDOW_S of each frame.
MIN_GROUND_SPREAD_LEG_SHARE = 2.0
# ... and only where the stances lie on one line, a straight run: their median distance from it under this many
# leg lengths (two thirds of the ground band). A straight sprint, as filmed or turned, scatters 0.01-0.07 leg
# lengths; a player weaving about the court 0.14, walkers in a hall seen from above 0.65: there the local
# ground line (±GROUND_WINDOW_S) follows the path better than any one slope.
MAX_STANCE_SCATTER_LEG_SHARE = 0.1


@dataclass(frozen=True)
class FootEvent:
    kind: str  # "foot_strike" or "toe_off"
    row: int   # analysis row
    side: str


def feet_in_picture_share(kp2d: np.ndarray, kp2d_raw33: np.ndarray | None,
                          image_size_px: tuple[int, int]) -> dict[str, float]:
    """Per side, the share of the frames with the person on which the foot (ankle, heel or toe, seen at the 2D
    confidence floor) lies inside the picture of ``image_size_px`` (width, height); 0 without such frames."""
    tracked = tracked_rows(kp2d)
    shares = {}
    for side in SIDES:
        inside = inside_picture(limb_points_px(kp2d, kp2d_raw33, "leg", side)[:, 1:], image_size_px).any(axis=-1)
        shares[side] = float(inside[tracked].mean()) if tracked.any() else 0.0
    return shares


def ground_slope(feet_px: np.ndarray, leg_px: float, fps: float) -> float:
    """The ground line's slope in the picture (image dy/dx, + downhill to the right) from both feet's points (T, F,
    2; NaN unseen): a robust line (Theil-Sen) through the places where a foot stood. Each frame's lowest still
    point (moving less than the still-foot speed towards the frame before or after) is a place; consecutive
    frames whose places lie within MIN_STRIDE_LEG_SHARE leg lengths of each other are one stance, read at its
    median place (a long stance, such as a sprinter in the blocks, counts once). 0 with fewer than three stances,
    where they spread over less than MIN_GROUND_SPREAD_LEG_SHARE leg lengths across the picture, or where they
    scatter about the line by more than MAX_STANCE_SCATTER_LEG_SHARE (the path is not straight)."""
    step_px = np.linalg.norm(np.diff(feet_px, axis=0), axis=-1)  # (T-1, F)
    edge = np.full((1, feet_px.shape[1]), np.nan)
    speed_px_s = np.fmin(np.concatenate([edge, step_px]), np.concatenate([step_px, edge])) * fps
    heights = np.where(speed_px_s <= STILL_LEG_SHARE_PER_S * leg_px, feet_px[..., 1], -np.inf)
    lowest = np.argmax(heights, axis=1)
    rows = np.flatnonzero(np.isfinite(heights[np.arange(len(lowest)), lowest]))
    places = feet_px[rows, lowest[rows]]
    stances, current = [], []
    for row, place in zip(rows, places):
        if current and (row - current[-1][0] > 1
                        or np.linalg.norm(place - current[-1][1]) > MIN_STRIDE_LEG_SHARE * leg_px):
            stances.append(np.median([p for _, p in current], axis=0))
            current = []
        current.append((row, place))
    if current:
        stances.append(np.median([p for _, p in current], axis=0))
    stances = np.array(stances).reshape(-1, 2)
    if len(stances) < 3 or np.ptp(stances[:, 0]) < MIN_GROUND_SPREAD_LEG_SHARE * leg_px:
        return 0.0
    slope = float(stats.theilslopes(stances[:, 1], stances[:, 0])[0])
    offsets = stances[:, 1] - slope * stances[:, 0]
    if np.median(np.abs(offsets - np.median(offsets))) > MAX_STANCE_SCATTER_LEG_SHARE * leg_px:
        return 0.0
    return slope


def ground_velocity_px_s(feet_px: np.ndarray, leg_px: float, fps: float) -> np.ndarray:
    """(T,) the ground's horizontal speed in the image (pixels per second, + to the right) from both feet's
    points (T, F, 2: every point of both feet; NaN unseen). Around each frame, the frames' lowest foot points
    on the ground line are grouped by their horizontal speed: the ground moves at the speed of the largest group
    where that group is not still and holds at least MOVING_GROUND_MIN_SHARE of the frames; otherwise it is
    still (a camera on a tripod, or too few feet seen on the ground to say). The readings are then smoothed
    by the median over the same window."""
    velocity_px_s = np.diff(feet_px[..., 0], axis=0) * fps  # (T-1, F): each point from a frame to the next
    heights = np.where(np.isfinite(velocity_px_s), feet_px[:-1, :, 1], -np.inf)
    lowest = np.argmax(heights, axis=1)  # image y grows downwards
    rows = np.arange(len(lowest))
    lowest_velocity = velocity_px_s[rows, lowest]  # NaN where no point is seen on both frames
    on_ground = feet_px[rows, lowest, 1] >= _ground_line_y(feet_px, fps)[:-1] - GROUND_BAND_LEG_SHARE * leg_px
    lowest_velocity[~on_ground] = np.nan
    band = GROUND_SPEED_BAND_LEG_SHARE_PER_S * leg_px
    half = max(1, round(GROUND_SPEED_WINDOW_S * fps))
    ground = np.zeros(len(feet_px))
    for row in range(len(feet_px)):
        window = lowest_velocity[max(0, row - half):row + half]
        seen = window[np.isfinite(window)]
        if not seen.size:
            continue
        together = np.abs(seen[:, None] - seen[None, :]) <= band
        size = together.sum(axis=1)
        largest = np.flatnonzero(size == size.max())
        group = together[largest[np.argmin(np.abs(seen[largest]))]]  # of groups as large, the stillest
        speed = seen[group].mean()
        if abs(speed) > band and group.sum() >= MOVING_GROUND_MIN_SHARE * len(window):
            ground[row] = speed
    # where two groups are about as large (a swing as fast as the belt), a few frames' reading flips: the
    # ground's speed changes no faster than a camera's pan, so each frame takes the median over its window
    return ndimage.median_filter(ground, size=2 * half + 1, mode="nearest")


def contact_rows(foot_px: np.ndarray, leg_px: float, fps: float, ground_px_s: np.ndarray) -> np.ndarray:
    """(T,) bool: the foot (T, P, 2 points: ankle, heel, toe; NaN unseen) is on the ground, whose horizontal
    speed in the image is ``ground_px_s`` (T,)."""
    ground_step_px = (ground_px_s[:-1] + ground_px_s[1:]) / 2 / fps  # how far the ground moves to the next frame
    foot_against_ground = foot_px.copy()
    foot_against_ground[1:, :, 0] -= np.cumsum(ground_step_px)[:, None]
    step_px = np.linalg.norm(np.diff(foot_against_ground, axis=0), axis=-1)  # (T-1, P); NaN next to gaps
    edge = np.full((1, foot_px.shape[1]), np.nan)
    # a point is still when it moves little towards the frame before or the one after: the contact's first and
    # last frames count, the swing's do not (a central difference would blur each edge by a frame)
    speed_px_s = np.fmin(np.concatenate([edge, step_px]), np.concatenate([step_px, edge])) * fps
    near_ground = foot_px[..., 1] >= (_ground_line_y(foot_px, fps) - GROUND_BAND_LEG_SHARE * leg_px)[:, None]
    still = speed_px_s <= STILL_LEG_SHARE_PER_S * leg_px
    contact = (near_ground & still).any(axis=1)
    for run in consecutive_runs(contact):
        if run.stop - run.start < MIN_CONTACT_FRAMES:
            contact[run] = False
    runs = consecutive_runs(contact)
    for before, after in pairwise(runs):
        moved_px = np.linalg.norm(_foot_position_px(foot_against_ground[after.start])
                                  - _foot_position_px(foot_against_ground[before.stop - 1]))
        if moved_px < MIN_STRIDE_LEG_SHARE * leg_px:
            contact[before.stop:after.start] = True
    return contact


def _ground_line_y(points_px: np.ndarray, fps: float) -> np.ndarray:
    """(T,) image y of the ground line of these points (T, P, 2): the lowest any of them reaches within
    ±GROUND_WINDOW_S (NaN where none is seen)."""
    lowest_y = np.nanmax(np.where(np.isfinite(points_px[..., 1]), points_px[..., 1], -np.inf), axis=1)
    lowest_y[~np.isfinite(lowest_y)] = np.nan
    half = max(1, round(GROUND_WINDOW_S * fps))
    return np.array([np.nanmax(lowest_y[max(0, t - half):t + half + 1])
                     if np.isfinite(lowest_y[max(0, t - half):t + half + 1]).any() else np.nan
                     for t in range(len(lowest_y))])


def _foot_position_px(points_px: np.ndarray) -> np.ndarray:
    """The mean of a foot's seen points (P, 2) on one frame (NaN when none is seen)."""
    seen = np.isfinite(points_px).all(axis=1)
    return points_px[seen].mean(axis=0) if seen.any() else np.full(2, np.nan)


def foot_events(kp2d: np.ndarray, kp2d_raw33: np.ndarray, fps: float) -> list[FootEvent]:
    """Foot strikes and toe-offs of both feet, in row order. An event needs the person on both sides of it: a
    contact that runs into the start or the end of the recording, or into frames without the person (gone from
    the picture, or not found), gives only the event seen inside it."""
    leg_px = limb_length_px(kp2d, "leg")
    if not np.isfinite(leg_px) or leg_px <= 0:
        return []
    feet_px = {side: limb_points_px(kp2d, kp2d_raw33, "leg", side)[:, 1:] for side in SIDES}  # ankle, heel, toe
    slope = ground_slope(np.concatenate(list(feet_px.values()), axis=1), leg_px, fps)
    for points in feet_px.values():  # heights read from the ground's line in the picture
        points[..., 1] -= slope * points[..., 0]
    ground_px_s = ground_velocity_px_s(np.concatenate(list(feet_px.values()), axis=1), leg_px, fps)
    tracked = tracked_rows(kp2d)
    events = []
    for side in SIDES:
        contact = contact_rows(feet_px[side], leg_px, fps, ground_px_s)
        for run in consecutive_runs(contact):
            if run.start > 0 and tracked[run.start - 1]:
                events.append(FootEvent("foot_strike", run.start, side))
            if run.stop < len(contact) and tracked[run.stop]:
                events.append(FootEvent("toe_off", run.stop, side))
    return sorted(events, key=lambda event: (event.row, event.kind))
