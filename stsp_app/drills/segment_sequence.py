"""What the throw and the kick share: the fastest limb end and its peak (ball contact, release), the window of
the swing before it, and the kinematic sequence: each segment's peak velocity and whether the peaks come
proximal to distal (pelvis, trunk, then the limb's joints, then the hand or foot).

A :class:`Segment` is an angular velocity in deg/s, signed so that the movement's direction is positive (hip
flexion, knee or elbow extension, the pelvis's and the trunk's rotation magnitude); the sequence ends with the
end joint's peak speed (the swing's event). Velocities differentiate a 10 Hz zero-lag Butterworth
low-pass: a kick or a throw is faster than the 6 Hz default of the angle charts, and 10-20 Hz is what kicking and
throwing studies use (Lees & Nolan 1998); at 30 frames/s the Nyquist frequency is 15 Hz.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import signal

from stsp_app.drills.base import ASK_FILMING_RATE, SLOW_MOTION_FACTORS, MovementNotFound, Recording
from stsp_app.drills.result import Event, Metric
from stsp_app.drills.uncertainty import angle_error_deg, timing_error_s
from stsp_app.kinematics.angular_velocity import (
    angular_velocity_deg_s,
    body_height_from_pose,
    relative_speed_heights_s,
    transverse_rotation_deg,
)

BALLISTIC_CUTOFF_HZ = 10.0
WINDOW_BEFORE_PEAK_S = 0.6  # a child's kick or throw swing lasts 0.3-0.6 s before contact or release
WINDOW_AFTER_PEAK_S = 0.1
# The frame-by-frame poses' peak of a hand or a foot lies within this of the swing's peak (the event).
PEAK_SEARCH_S = 0.1


@dataclass(frozen=True)
class Segment:
    """A body segment's angular velocity (deg/s, the movement's direction positive) in the kinematic sequence."""

    key: str                    # "pelvis_rotation", "knee_extension" …: its metrics are peak_<key>_deg_s, …_lead_s
    label: str                  # "pelvis rotation velocity"
    velocity_deg_s: np.ndarray  # (T,)


@dataclass(frozen=True)
class Swing:
    """The fastest limb end of a recording: its side, speed series (body heights/s) and peak row."""

    side: str
    end_joint: str      # "wrist", "ankle"
    speed_heights_s: np.ndarray
    peak_row: int
    body_height: float  # in the poses' unit (mm for 3D, px for 2D)

    @property
    def peak_speed_heights_s(self) -> float:
        return float(self.speed_heights_s[self.peak_row])


def poses(recording: Recording) -> np.ndarray:
    """The 3D poses when there are any, else the 2D image keypoints (T, 17, D)."""
    motion = recording.motion
    return motion.kp3d_mm if motion.has_3d else motion.kp2d[..., :2]


def fastest_swing(recording: Recording, end_joint: str, min_speed_heights_s: float, movement: str) -> Swing:
    """The side whose ``end_joint`` (ankle, wrist) moves fastest relative to the pelvis, and its peak. Only peaks
    inside the recording count (``scipy.signal.find_peaks``): a speed still rising at the first or last frame
    is a swing the clip cut off, or a filter's edge. Raises MovementNotFound when even the fastest peak stays
    under ``min_speed_heights_s``."""
    joints = poses(recording)
    height = body_height_from_pose(joints)
    best: Swing | None = None
    for side in ("left", "right"):
        speed = relative_speed_heights_s(joints, f"{side}_{end_joint}", "pelvis", recording.fps, height,
                                         BALLISTIC_CUTOFF_HZ)
        peaks, _ = signal.find_peaks(np.nan_to_num(speed, nan=0.0))
        if len(peaks):
            row = int(peaks[np.argmax(speed[peaks])])
            if best is None or speed[row] > best.peak_speed_heights_s:
                best = Swing(side, end_joint, speed, row, height)
    if best is None:
        raise MovementNotFound(f"no {movement} found in the recording ({len(recording.motion)} frames): no "
                               f"{end_joint} swings")
    if not best.peak_speed_heights_s >= min_speed_heights_s:
        slow_motion = ""
        if best.peak_speed_heights_s * max(SLOW_MOTION_FACTORS) >= min_speed_heights_s:
            slow_motion = f"; if this is a slow-motion video, {ASK_FILMING_RATE}: its speeds are then real"
        raise MovementNotFound(f"no {movement} found in the recording ({len(recording.motion)} frames): the "
                               f"fastest {end_joint} moved {best.peak_speed_heights_s:.1f} body heights/s relative "
                               f"to the pelvis, a {movement} needs {min_speed_heights_s:g}{slow_motion}")
    return best


def swing_window(recording: Recording, peak_row: int) -> slice:
    before = int(round(WINDOW_BEFORE_PEAK_S * recording.fps))
    after = int(round(WINDOW_AFTER_PEAK_S * recording.fps))
    return slice(max(0, peak_row - before), min(len(recording.motion), peak_row + after + 1))


def extension_velocity_deg_s(recording: Recording, flexion_name: str) -> np.ndarray:
    """Extension angular velocity (deg/s, positive while the joint straightens)."""
    return -angular_velocity_deg_s(recording.motion.angles.degrees[flexion_name], recording.fps, BALLISTIC_CUTOFF_HZ)


def flexion_velocity_deg_s(recording: Recording, flexion_name: str) -> np.ndarray:
    return angular_velocity_deg_s(recording.motion.angles.degrees[flexion_name], recording.fps, BALLISTIC_CUTOFF_HZ)


def rotation_deg(recording: Recording, segment: str) -> np.ndarray | None:
    """The pelvis's ("pelvis": hip line) or the trunk's ("trunk": shoulder line) orientation about the vertical
    (deg, unwrapped); None without 3D poses."""
    if not recording.motion.has_3d:
        return None
    left, right = ("left_hip", "right_hip") if segment == "pelvis" else ("left_shoulder", "right_shoulder")
    return transverse_rotation_deg(recording.motion.kp3d_mm, left, right)


def rotation_speed_deg_s(recording: Recording, segment: str) -> np.ndarray | None:
    """Magnitude of the pelvis's or the trunk's rotation velocity about the vertical (deg/s); None without 3D."""
    orientation = rotation_deg(recording, segment)
    if orientation is None:
        return None
    return np.abs(angular_velocity_deg_s(orientation, recording.fps, BALLISTIC_CUTOFF_HZ))


def rotation_segments(recording: Recording, segments: tuple[str, ...]) -> list[Segment]:
    """The rotation velocity segments ("pelvis", "trunk") of the sequence; none without 3D poses."""
    speeds = {segment: rotation_speed_deg_s(recording, segment) for segment in segments}
    return [Segment(f"{segment}_rotation", f"{segment} rotation velocity", speed)
            for segment, speed in speeds.items() if speed is not None]


def sequence_metrics(recording: Recording, window: slice, segments: list[Segment], end_row: int,
                     end_key: str) -> dict[str, Metric]:
    """Per segment (proximal first) its peak velocity in ``window`` and how long before the end joint's peak
    (row ``end_row``: ball contact, release; ``end_key`` names it in the order) it came; then whether the peaks,
    the end joint's last, come in proximal-to-distal order."""
    metrics: dict[str, Metric] = {}
    end_time_s = recording.time_of_row(end_row)
    peaks: list[tuple[float, str]] = [(end_time_s, end_key)]
    for segment in segments:
        part = segment.velocity_deg_s[window]
        if not np.isfinite(part).any():
            continue
        row = window.start + int(np.nanargmax(part))
        time_s = recording.time_of_row(row)
        peaks.append((time_s, segment.key))
        # no ±: the lifted 3D reads peak velocities low (docs/RESULTS.md, "Throw and kick"): a child is
        # compared with themself, on the same set-up
        metrics[f"peak_{segment.key}_deg_s"] = Metric(float(segment.velocity_deg_s[row]), "deg/s",
                                                     f"Peak {segment.label}")
        metrics[f"peak_{segment.key}_lead_s"] = Metric(
            end_time_s - time_s, "s", f"Peak {segment.label}: time before the end of the swing",
            np.sqrt(2.0) * timing_error_s(recording.fps))
    order = [key for _, key in sorted(peaks)]
    expected = [segment.key for segment in segments if segment.key in order] + [end_key]
    metrics["proximal_to_distal"] = Metric(order == expected, "", "Peaks in proximal-to-distal order",
                                           note="order found: " + " → ".join(order))
    return metrics


def angle_at(recording: Recording, angle_name: str, row: int, label: str, side: str | None = None) -> Metric:
    value = float(recording.motion.angles.degrees[angle_name][row])
    if not np.isfinite(value):
        return Metric(None, "deg", label, side=side, note="angle not measured on that frame")
    return Metric(value, "deg", label, angle_error_deg(angle_name), side=side)


def range_of_motion(recording: Recording, window: slice, angle_name: str, label: str,
                    side: str | None = None) -> Metric:
    """max − min of a joint angle over the window (deg)."""
    part = recording.motion.angles.degrees[angle_name][window]
    if not np.isfinite(part).any():
        return Metric(None, "deg", label, side=side, note="angle not measured in the swing")
    return Metric(float(np.nanmax(part) - np.nanmin(part)), "deg", label, angle_error_deg(angle_name), side=side)


def hip_shoulder_separation_deg(recording: Recording, window: slice) -> Metric | None:
    """Largest angle between the shoulders' and the hips' lines seen from above over the window (the trunk
    wound up against the pelvis, "X-factor"); None without 3D."""
    pelvis, trunk = rotation_deg(recording, "pelvis"), rotation_deg(recording, "trunk")
    if pelvis is None or trunk is None:
        return None
    separation = np.abs(((trunk - pelvis)[window] + 180.0) % 360.0 - 180.0)
    if not np.isfinite(separation).any():
        return None
    return Metric(float(np.nanmax(separation)), "deg", "Hip-shoulder separation (largest, seen from above)")


def end_speed_metrics(recording: Recording, swing: Swing, key: str, label: str) -> dict[str, Metric]:
    """The hand's or foot's peak speed relative to the pelvis: in body heights/s always, in m/s when the
    child's height is known. Taken from the frame-by-frame poses where the recording has them
    (Recording.frame_poses_mm), as the fastest moment within PEAK_SEARCH_S of the swing's peak."""
    peak = swing.peak_speed_heights_s
    if recording.frame_poses_mm is not None:
        joints = recording.frame_poses_mm
        speed = relative_speed_heights_s(joints, f"{swing.side}_{swing.end_joint}", "pelvis", recording.fps,
                                         body_height_from_pose(joints), BALLISTIC_CUTOFF_HZ)
        reach = int(round(PEAK_SEARCH_S * recording.fps))
        near = speed[max(0, swing.peak_row - reach):swing.peak_row + reach + 1]
        if np.isfinite(near).any():
            peak = float(np.nanmax(near))
    metrics = {f"peak_{key}_heights_s": Metric(peak, "heights/s",
                                               f"Peak {label} (body heights per second, relative to the pelvis)",
                                               side=swing.side)}
    if recording.stature_mm is not None:
        metrics[f"peak_{key}_m_s"] = Metric(peak * recording.stature_mm / 1000.0, "m/s",
                                            f"Peak {label} (relative to the pelvis)", side=swing.side)
    return metrics


def event_at(recording: Recording, kind: str, row: int, side: str) -> Event:
    return Event(kind, recording.frame_of_row(row), recording.time_of_row(row), side=side)
