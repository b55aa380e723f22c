"""``squat``: bodyweight or barbell squats — reps, depth (knee flexion, below parallel), trunk lean, asymmetry,
tempo, knee travel.

Definitions, formulas and sources: docs/metrics.md, "squat". Reps are found from the hip's descent in the
image (the mean of the two 2D hip joints, 6 Hz zero-lag low-passed): a rep is a peak of the descent below the
standing hip height with a prominence of at least MIN_DESCENT_THIGH_SHARE thigh lengths (2D hip-knee distance,
the person's own size in pixels) and a 3D knee flexion above MIN_KNEE_FLEXION_DEG at the bottom. A rep starts
at the last row before the bottom where the hip stands still in the upper half of its travel and ends at the
first such row after it; a dip during which a foot moves (a step, a stride, a jump) is not a squat. "Below
parallel" is read in the image in a side view and from the 3D pose (the camera's vertical) otherwise.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from scipy import signal

from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.drills.base import SIDE_VIEW_NEEDED, MovementNotFound, Recording, knee_separation_metric
from stsp_app.drills.result import DrillResult, Metric, Rep
from stsp_app.drills.uncertainty import SQUAT_DEPTH_MARGIN_ERROR_THIGH, angle_error_deg, timing_error_s
from stsp_app.kinematics.frontal_plane import filmed_view
from stsp_app.kinematics.joint_angles import MIN_CONFIDENCE_2D
from stsp_app.kinematics.motion_series import inside_picture
from stsp_app.kinematics.signals import butterworth_lowpass, per_second_derivative

SIDES = ("left", "right")
# A squat lowers the hip by at least this many thigh lengths (a quarter squat, knee ~45-60°, drops the hip by
# about 0.3 thigh lengths; a parallel squat by about 0.7).
MIN_DESCENT_THIGH_SHARE = 0.3
# At the bottom of a squat the knee is flexed more than this (3D): less is a half-knee dip, not a squat.
MIN_KNEE_FLEXION_DEG = 45.0
# A rep starts / ends where the hip stands still: its image speed under this many thigh lengths per second
# (0.25: about 10 cm/s, well under a squat's 0.5-1 m/s descent and above 6 Hz low-passed 2D jitter).
STILL_THIGH_SHARE_PER_S = 0.25
# Two bottoms are at least this far apart (a squat rep takes 1-3 s).
MIN_REP_SPACING_S = 0.8
# The top of the knee lies above the knee joint centre by half the knee's front-to-back depth (~5 cm on a
# 42 cm thigh): 0.12 thigh lengths. "Below parallel" compares the hip joint (≈ the hip crease in a side view)
# with that point.
KNEE_TOP_ABOVE_CENTRE_THIGH_SHARE = 0.12
# A squat keeps both feet in place: over a rep each seen ankle stays within this many thigh lengths (about 10 cm)
# of its median place in the image (90th percentile of the frames: a heel rising or the 2D's jitter move it a few
# centimetres, squat_side.mp4's reps 0.06-0.07; a step, a stride or a jump moves it half a thigh length or more).
# Dips with a foot moving are lunges, strides, landings or a player bending for the ball, not squats.
MAX_FOOT_TRAVEL_THIGH_SHARE = 0.25


class SquatDrill:
    name = "squat"
    title = "Squat"
    movement = "squat"

    def analyse(self, recording: Recording) -> DrillResult:
        motion = recording.motion
        hip_y = butterworth_lowpass(_mean_seen(motion.kp2d, "hip", 1), recording.fps)
        knee_y = butterworth_lowpass(_mean_seen(motion.kp2d, "knee", 1), recording.fps)
        thigh_px = _thigh_length_px(motion.kp2d)
        angles = motion.angles.degrees
        knee_deg = _nan_mean([angles["left_knee_flexion"], angles["right_knee_flexion"]])
        bottoms = _bottom_rows(hip_y, knee_deg, thigh_px, recording.fps) if np.isfinite(thigh_px) else []
        if not bottoms:
            raise MovementNotFound(f"no squat found in the recording ({len(motion)} frames): the hip never drops "
                                   f"{MIN_DESCENT_THIGH_SHARE:g} thigh lengths with the knees bent past "
                                   f"{MIN_KNEE_FLEXION_DEG:g}°")
        result = DrillResult(drill=self.name, fps=recording.fps, frames=len(motion))
        bounds = [0, *[(a + b) // 2 for a, b in pairwise(bottoms)], len(motion) - 1]
        feet_moved = unstood = 0
        for k, bottom in enumerate(bottoms):
            edges = _rep_edges(hip_y, bottom, bounds[k], bounds[k + 1], STILL_THIGH_SHARE_PER_S * thigh_px,
                               recording.fps)
            if edges is None:
                unstood += 1
                continue
            start, end = edges
            if _foot_travel_thigh(motion.kp2d, start, end, thigh_px) > MAX_FOOT_TRAVEL_THIGH_SHARE:
                feet_moved += 1
                continue
            metrics = _rep_metrics(recording, hip_y, knee_y, thigh_px, start, bottom, end)
            result.reps.append(Rep(recording.frame_of_row(start), recording.frame_of_row(bottom),
                                   recording.frame_of_row(end), metrics, recording.time_of_row(bottom)))
        if not result.reps:
            reasons = []
            if unstood:
                reasons.append(f"{unstood} without the stand before or after it in the recording (a squat starts "
                               "and ends standing)")
            if feet_moved:
                reasons.append(f"{feet_moved} with a foot moving (a step, a stride or a jump; a squat keeps both "
                               "feet in place)")
            raise MovementNotFound(f"no squat found in the recording ({len(motion)} frames): of the dips of the hip, "
                                   + "; ".join(reasons))
        result.metrics = _summary_metrics(result.reps, recording.fps, recording.view)
        result.notes.append(f"{len(result.reps)} squat(s) found from the hip's descent in the image.")
        if feet_moved:
            result.notes.append(f"{feet_moved} dip(s) of the hip with a foot moving (a step, a stride or a jump) are "
                                "not counted as squats.")
        if unstood:
            result.notes.append(f"{unstood} dip(s) of the hip without the stand before or after it in the recording "
                                "(cut off by its start or end) are not counted as squats.")
        result.notes.append("Below parallel: the hip joint lower than the top of the knee, read in the image in a "
                            "side view and from the 3D pose (assuming a level camera) otherwise.")
        return result


def _mean_seen(kp2d: np.ndarray, joint: str, axis: int) -> np.ndarray:
    """Mean over the two sides of one image coordinate of a joint, ignoring low-confidence points."""
    values = []
    for side in SIDES:
        point = kp2d[:, JOINT_INDEX[f"{side}_{joint}"]]
        values.append(np.where(np.nan_to_num(point[:, 2]) >= MIN_CONFIDENCE_2D, point[:, axis], np.nan))
    return _nan_mean(values)


def _nan_mean(series: list[np.ndarray]) -> np.ndarray:
    """Mean of same-shaped series over the finite ones, NaN where none is (no warning for all-NaN rows)."""
    stacked = np.array(series)
    count = np.isfinite(stacked).sum(axis=0)
    return np.where(count > 0, np.nansum(stacked, axis=0) / np.maximum(count, 1), np.nan)


def _thigh_length_px(kp2d: np.ndarray) -> float:
    """The person's thigh length in the image: 90th percentile over frames and sides of the 2D hip-knee
    distance (the thigh foreshortens when it points at the camera, never lengthens)."""
    lengths = np.concatenate([
        np.linalg.norm(kp2d[:, JOINT_INDEX[f"{side}_hip"], :2] - kp2d[:, JOINT_INDEX[f"{side}_knee"], :2], axis=1)
        for side in SIDES])
    lengths = lengths[np.isfinite(lengths)]
    return float(np.percentile(lengths, 90)) if len(lengths) else float("nan")


def _foot_travel_thigh(kp2d: np.ndarray, start: int, end: int, thigh_px: float) -> float:
    """How far the feet moved over rows ``start`` to ``end``, in thigh lengths: for each ankle seen on at least
    half the rows, the 90th percentile of its image distance from its median place; the larger of the two (0
    where neither ankle is seen enough to tell)."""
    travel = 0.0
    for side in SIDES:
        ankle = kp2d[start:end + 1, JOINT_INDEX[f"{side}_ankle"]]
        seen = ankle[np.nan_to_num(ankle[:, 2]) >= MIN_CONFIDENCE_2D, :2]
        if 2 * len(seen) < len(ankle) or not len(seen):
            continue
        distance = np.linalg.norm(seen - np.median(seen, axis=0), axis=1)
        travel = max(travel, float(np.percentile(distance, 90)) / thigh_px)
    return travel


def _bottom_rows(hip_y: np.ndarray, knee_deg: np.ndarray, thigh_px: float, fps: float) -> list[int]:
    finite = np.isfinite(hip_y)
    if finite.sum() < 3:
        return []
    rows = np.arange(len(hip_y))
    bridged = np.interp(rows, rows[finite], hip_y[finite])  # gaps bridged for peak finding only
    peaks, _ = signal.find_peaks(bridged, prominence=MIN_DESCENT_THIGH_SHARE * thigh_px,
                                 distance=max(1, round(MIN_REP_SPACING_S * fps)))
    return [int(row) for row in peaks if finite[row] and np.nan_to_num(knee_deg[row]) > MIN_KNEE_FLEXION_DEG]


def _rep_edges(hip_y: np.ndarray, bottom: int, low: int, high: int, still_px_per_s: float,
               fps: float) -> tuple[int, int] | None:
    """The rep's start and end around ``bottom`` (within [low, high]): the last row before it and the first
    row after it where the hip is still (image speed under ``still_px_per_s``) in the upper half of its
    travel. Standing is the highest hip (smallest image y) on each side of the bottom. None where either stand
    is missing (the recording starts or ends in the dip, or the hip never rests: a sprinter rising from the
    blocks): its start, end and the times between them would be guesses."""
    speed = np.abs(per_second_derivative(hip_y, fps))

    def rest_rows(part: slice) -> np.ndarray:
        standing_y = float(np.nanmin(hip_y[part]))
        upper_half = hip_y[part] <= standing_y + 0.5 * (hip_y[bottom] - standing_y)
        return np.flatnonzero(upper_half & (speed[part] <= still_px_per_s))

    before = rest_rows(slice(low, bottom))
    after = rest_rows(slice(bottom, high + 1))
    if not len(before) or not len(after):
        return None
    return low + int(before[-1]), bottom + int(after[0])


def _rep_metrics(recording: Recording, hip_y: np.ndarray, knee_y: np.ndarray, thigh_px: float,
                 start: int, bottom: int, end: int) -> dict[str, Metric]:
    motion = recording.motion
    angles = motion.angles.degrees
    knee_error = angle_error_deg("knee_flexion", recording.view)
    two_frames_s = float(np.sqrt(2.0)) * timing_error_s(recording.fps)
    # A leg's depth counts where its knee and ankle are seen around the bottom: hidden behind the near leg, or below
    # the picture, the knee angle is the lifter's guess of the shank.
    peaks = {side: float(np.nanmax(angles[f"{side}_knee_flexion"][start:end + 1])) for side in SIDES
             if _leg_seen(motion.kp2d, bottom, side, recording)}
    # In a side view depth and knee travel are read in the image; otherwise "below parallel" comes from the 3D
    # pose and knee travel is not scored.
    filmed = filmed_view(motion.kp2d[start:end + 1])
    side_view = filmed == "side"
    if side_view:
        knee_top_y = knee_y[bottom] - KNEE_TOP_ABOVE_CENTRE_THIGH_SHARE * thigh_px
        hip_below_knee_top = float(hip_y[bottom] - knee_top_y) / thigh_px
    else:
        hip_below_knee_top = _hip_below_knee_top_3d_thigh(motion.kp3d_mm, bottom)
    view = "side view, image" if side_view else "3D pose"
    margin_error = SQUAT_DEPTH_MARGIN_ERROR_THIGH if side_view else None
    borderline = margin_error is not None and abs(hip_below_knee_top) < margin_error
    unseen = "the knee or the ankle not seen around the bottom (out of the picture or hidden)"
    metrics = {
        "knee_flexion_peak_deg": (
            Metric(float(np.mean(list(peaks.values()))), "deg",
                   "Depth (peak knee flexion, " + ("both legs)" if len(peaks) == 2 else f"{next(iter(peaks))} leg)"),
                   knee_error)
            if peaks else Metric(None, "deg", "Depth (peak knee flexion)", note=f"not measured: {unseen}")),
        "below_parallel": (
            Metric(bool(hip_below_knee_top > 0), "yes/no",
                   f"Below parallel (hip crease below the top of the knee; {view})",
                   note=(f"Borderline: within ±{margin_error:g} thigh lengths (about 4 cm) of parallel, closer than "
                         "the keypoints can tell" if borderline else None))
            if np.isfinite(hip_below_knee_top) else
            Metric(None, "yes/no", "Below parallel", note="neither a side view nor a 3D pose at the bottom")),
        "hip_below_knee_top_thigh": Metric(hip_below_knee_top if np.isfinite(hip_below_knee_top) else None,
                                           "thigh lengths",
                                           f"Hip below the top of the knee at the bottom (negative: above; {view})",
                                           margin_error if np.isfinite(hip_below_knee_top) else None),
        "trunk_lean_at_depth_deg": Metric(float(angles["trunk_lean"][bottom]), "deg",
                                          "Trunk lean at the bottom", angle_error_deg("trunk_lean", recording.view)),
        "knee_flexion_asymmetry_deg": (
            Metric(peaks["left"] - peaks["right"], "deg", "Left minus right peak knee flexion",
                   float(np.sqrt(2.0)) * knee_error)
            if len(peaks) == 2 else
            Metric(None, "deg", "Left minus right peak knee flexion", note=f"not measured: one leg's {unseen}")),
        "descent_time_s": Metric(recording.time_of_row(bottom) - recording.time_of_row(start), "s",
                                 "Descent time (start to the bottom)", two_frames_s),
        "ascent_time_s": Metric(recording.time_of_row(end) - recording.time_of_row(bottom), "s",
                                "Ascent time (the bottom to standing)", two_frames_s),
    }
    # filmed from the front only (the side-view squat clip's reps read 0.23 of the 0.4 hip width that needs)
    metrics["knee_ankle_separation_ratio"] = knee_separation_metric(filmed == "front", motion.kp2d[bottom],
                                                                    "the bottom")
    travel = _knee_travel_thigh(motion.kp2d, start, bottom, thigh_px) if side_view else float("nan")
    metrics["knee_travel_thigh"] = (
        Metric(travel, "thigh lengths", "Knee travel forward over the ankle (start to the bottom, side view)")
        if np.isfinite(travel) else
        Metric(None, "thigh lengths", "Knee travel forward over the ankle", note=SIDE_VIEW_NEEDED))
    return metrics


# Around the bottom (± this), a leg is seen where its knee and ankle are, inside the picture, on half the frames.
LEG_SEEN_REACH_S = 0.2


def _leg_seen(kp2d: np.ndarray, bottom: int, side: str, recording: Recording) -> bool:
    reach = max(1, round(LEG_SEEN_REACH_S * recording.fps))
    joints = [JOINT_INDEX[f"{side}_knee"], JOINT_INDEX[f"{side}_ankle"]]
    around = kp2d[max(0, bottom - reach):bottom + reach + 1][:, joints]
    seen = ((np.nan_to_num(around[..., 2]) >= MIN_CONFIDENCE_2D)
            & inside_picture(around[..., :2], recording.image_size_px)).all(axis=1)
    return 2 * int(seen.sum()) >= len(seen)


def _hip_below_knee_top_3d_thigh(kp3d_mm: np.ndarray, row: int) -> float:
    """How far the hip joints lie below the top of the knees in the 3D pose at ``row`` (camera y is down: a level
    camera's vertical), in thigh lengths; NaN without 3D."""
    pose = kp3d_mm[row]
    hip_y = np.mean([pose[JOINT_INDEX[f"{side}_hip"], 1] for side in SIDES])
    knee_y = np.mean([pose[JOINT_INDEX[f"{side}_knee"], 1] for side in SIDES])
    thigh_mm = np.mean([np.linalg.norm(pose[JOINT_INDEX[f"{side}_hip"]] - pose[JOINT_INDEX[f"{side}_knee"]])
                        for side in SIDES])
    return float((hip_y - (knee_y - KNEE_TOP_ABOVE_CENTRE_THIGH_SHARE * thigh_mm)) / thigh_mm)


def _knee_travel_thigh(kp2d: np.ndarray, start: int, bottom: int, thigh_px: float) -> float:
    """How far the knees move forward over their ankles in the image from ``start`` to ``bottom`` (mean of both
    legs), in thigh lengths. Forward is the way the knees travel; NaN where a point is unseen."""
    knee_over_ankle = [kp2d[:, JOINT_INDEX[f"{side}_knee"], 0] - kp2d[:, JOINT_INDEX[f"{side}_ankle"], 0]
                       for side in SIDES]
    travel_px = np.mean([abs(series[bottom] - series[start]) for series in knee_over_ankle])
    return float(travel_px / thigh_px)


def _summary_metrics(reps: list[Rep], fps: float, view: str | None) -> dict[str, Metric]:
    """The headline metrics over all reps: count, mean and shallowest depth, depth consistency, tempo; ``view``:
    the recording's (``Recording.view``), for the angles' ±."""
    def values(name: str) -> list[float]:
        return [rep.metrics[name].value for rep in reps]

    peaks = [peak for peak in values("knee_flexion_peak_deg") if peak is not None]
    knee_error = angle_error_deg("knee_flexion", view)
    two_frames_s = float(np.sqrt(2.0)) * timing_error_s(fps)
    unmeasured = "no rep's depth measured (the knees or the ankles not seen at the bottom)"
    metrics = {
        "rep_count": Metric(len(reps), "count", "Squats found"),
        "knee_flexion_peak_mean_deg": (
            Metric(float(np.mean(peaks)), "deg", "Mean depth (peak knee flexion)", knee_error) if peaks else
            Metric(None, "deg", "Mean depth (peak knee flexion)", note=unmeasured)),
        "knee_flexion_peak_min_deg": (
            Metric(float(np.min(peaks)), "deg", "Shallowest rep (peak knee flexion)", knee_error) if peaks else
            Metric(None, "deg", "Shallowest rep (peak knee flexion)", note=unmeasured)),
        "below_parallel_reps": Metric(sum(rep.metrics["below_parallel"].value is True for rep in reps), "count",
                                      "Reps below parallel"),
        "descent_time_mean_s": Metric(float(np.mean(values("descent_time_s"))), "s", "Mean descent time",
                                      two_frames_s),
        "ascent_time_mean_s": Metric(float(np.mean(values("ascent_time_s"))), "s", "Mean ascent time",
                                     two_frames_s),
    }
    # Depth consistency: the lifter's error is mostly a bias shared by the reps of one clip, so no ± is given.
    metrics["knee_flexion_peak_sd_deg"] = (
        Metric(float(np.std(peaks, ddof=1)), "deg", "Depth consistency (SD of peak knee flexion over reps)")
        if len(peaks) >= 2 else
        Metric(None, "deg", "Depth consistency", note="needs two reps or more with their depth measured"))
    ratios = [ratio for ratio in values("knee_ankle_separation_ratio") if ratio is not None]
    if ratios:
        metrics["knee_ankle_separation_ratio_min"] = Metric(
            float(np.min(ratios)), "ratio", "Knees apart over ankles apart, the rep whose knees came closest")
    return metrics


DRILL = SquatDrill()
