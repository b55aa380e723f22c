"""What the throw and the kick measure of each swing (:mod:`stsp_app.drills.swings` finds them): the window of the
swing before its peak, the joints' angles and ranges of motion there, and the kinematic sequence: each segment's
peak velocity and whether the peaks come proximal to distal (pelvis, trunk, then the limb's joints, then the hand
or foot); and a series of attempts as one result.

A :class:`Segment` is an angular velocity in deg/s, signed so that the movement's direction is positive (hip
flexion, knee or elbow extension, the pelvis's and the trunk's rotation magnitude); the sequence ends with the
end joint's peak speed (the swing's event). Velocities differentiate the same 10 Hz low-pass as the swings' speeds
(:data:`stsp_app.drills.swings.BALLISTIC_CUTOFF_HZ`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from stsp_app.drills.base import Recording
from stsp_app.drills.result import DrillResult, Event, Metric, Rep
from stsp_app.drills.swings import BALLISTIC_CUTOFF_HZ, Swing, low_rate_note, peak_speed_near, swing_window
from stsp_app.drills.uncertainty import angle_error_deg, timing_error_s
from stsp_app.kinematics.angular_velocity import (
    angular_velocity_deg_s,
    transverse_rotation_deg,
)


@dataclass(frozen=True)
class Segment:
    """A body segment's angular velocity (deg/s, the movement's direction positive) in the kinematic sequence."""

    key: str                    # "pelvis_rotation", "knee_extension" …: its metrics are peak_<key>_deg_s, …_lead_s
    label: str                  # "pelvis rotation velocity"
    velocity_deg_s: np.ndarray  # (T,)


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


def attempts_result(drill: str, recording: Recording, attempts: list[Swing],
                    measure: Callable[[Recording, Swing], tuple[list[Event], dict[str, Metric]]],
                    speed_key: str, noun: str) -> DrillResult:
    """A throw's or a kick's result over a series of attempts (:func:`swings`): each attempt's events and one Rep
    per attempt (its swing's window: the start, the release or ball-contact frame as its "deepest" frame, the end)
    with the metrics ``measure`` gives it; as the headline, how many were found and the metrics of the attempt
    whose hand (foot) moved fastest as reported (``peak_<speed_key>_heights_s``); the notes every throw and kick
    carries on the recording's rate and the child's height (the drill adds its own after them)."""
    result = DrillResult(drill=drill, fps=recording.fps, frames=len(recording.motion))
    measured = [measure(recording, swing) for swing in attempts]
    for swing, (events, metrics) in zip(attempts, measured):
        window = swing_window(recording, swing.peak_row)
        result.events += events
        result.reps.append(Rep(recording.frame_of_row(window.start), recording.frame_of_row(swing.peak_row),
                               recording.frame_of_row(window.stop - 1), metrics, recording.time_of_row(swing.peak_row)))
    best = max(range(len(attempts)), key=lambda k: measured[k][1][f"peak_{speed_key}_heights_s"].value)
    result.metrics = {f"{noun}s": Metric(len(attempts), "count", f"{noun.capitalize()}s found"), **measured[best][1]}
    if len(attempts) > 1:
        swing = attempts[best]
        result.notes.append(f"{len(attempts)} {noun}s found; the headline figures are the fastest's ({noun} "
                            f"{best + 1}, frame {recording.frame_of_row(swing.peak_row)}, {swing.side} side).")
    if (note := low_rate_note(recording, noun)) is not None:
        result.notes.append(note)
    if recording.stature_mm is None:
        result.notes.append(f"The child's height is not known: the {speed_key.replace('_', ' ')} is given in body "
                            "heights per second only.")
    return result


def angle_at(recording: Recording, angle_name: str, row: int, label: str, side: str | None = None) -> Metric:
    value = float(recording.motion.angles.degrees[angle_name][row])
    if not np.isfinite(value):
        return Metric(None, "deg", label, side=side, note="angle not measured on that frame")
    return Metric(value, "deg", label, angle_error_deg(angle_name, recording.view), side=side)


def range_of_motion(recording: Recording, window: slice, angle_name: str, label: str,
                    side: str | None = None) -> Metric:
    """max − min of a joint angle over the window (deg)."""
    part = recording.motion.angles.degrees[angle_name][window]
    if not np.isfinite(part).any():
        return Metric(None, "deg", label, side=side, note="angle not measured in the swing")
    return Metric(float(np.nanmax(part) - np.nanmin(part)), "deg", label, angle_error_deg(angle_name, recording.view),
                  side=side)


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
    child's height is known (:func:`peak_speed_near`)."""
    peak = peak_speed_near(recording, f"{swing.side}_{swing.end_joint}", swing.peak_row,
                           swing.peak_speed_heights_s)
    metrics = {f"peak_{key}_heights_s": Metric(peak, "heights/s",
                                               f"Peak {label} (body heights per second, relative to the pelvis)",
                                               side=swing.side)}
    if recording.stature_mm is not None:
        metrics[f"peak_{key}_m_s"] = Metric(peak * recording.stature_mm / 1000.0, "m/s",
                                            f"Peak {label} (relative to the pelvis)", side=swing.side)
    return metrics


def event_at(recording: Recording, kind: str, row: int, side: str) -> Event:
    return Event(kind, recording.frame_of_row(row), recording.time_of_row(row), side=side)
