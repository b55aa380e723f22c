"""``throw``: an overarm throw — the throwing arm, release, the arm's and the trunk's angles at release, the
hip-shoulder separation, peak velocities and their proximal-to-distal sequence (pelvis rotation → trunk rotation
→ elbow extension → hand speed).

Definitions, thresholds and sources: docs/metrics.md, "throw". The fastest hand swing of the recording decides
whether it holds a throw: not where both hands swing together as the feet leave or meet the floor (a jump), a
foot is faster than the hand (a kick), or it is one of a rhythm of like swings (running;
``drills.swings.swings``). Both hands together with the feet down is a two-handed throw, scored on the faster
arm. Each throw of a series (a coach's "three throws each") is one Rep; the headline figures are the throw with
the fastest hand.
"""

from __future__ import annotations

from stsp_app.drills.base import Recording
from stsp_app.drills.result import DrillResult, Event, Metric
from stsp_app.drills.segment_sequence import (
    Segment,
    angle_at,
    attempts_result,
    end_speed_metrics,
    event_at,
    extension_velocity_deg_s,
    hip_shoulder_separation_deg,
    range_of_motion,
    rotation_segments,
    sequence_metrics,
)
from stsp_app.drills.swings import SWING_READS_AHEAD_S, Swing, swing_window, swings

# A throw moves the throwing hand (wrist) at least this fast relative to the pelvis (body heights per second).
# Mocap of children and adults (Kinder-Gator, 30 fps): throws peak at 1.2-7.1 (gentle throws with the other
# arm are the slowest); standing still stays far below; waving and drawing in the air reach 2-4, so a slow
# wave can pass as a gentle throw: the coach chooses the drill.
MIN_WRIST_SPEED_HEIGHTS_S = 1.5


class ThrowDrill:
    name = "throw"
    title = "Throw"
    movement = "throw"
    reads_ahead_s = SWING_READS_AHEAD_S  # the live drill waits for the second after the swing

    def analyse(self, recording: Recording) -> DrillResult:
        throws = swings(recording, "wrist", MIN_WRIST_SPEED_HEIGHTS_S, self.movement)
        result = attempts_result(self.name, recording, throws, _throw, "hand_speed", "throw")
        where = (f"Throwing arm: {throws[0].side}. Release is taken at the hand's peak speed (frame "
                 f"{recording.frame_of_row(throws[0].peak_row)})" if len(throws) == 1
                 else "Each release is taken at the hand's peak speed")
        result.notes.append(f"{where}; the ball leaves the hand within a frame or two of it. The ball itself is not "
                            "seen: a single fast arm swing without one (a wave, a gesture) reads the same, so look "
                            "at that frame.")
        if any(swing.both_together for swing in throws):
            result.notes.append("Both hands threw together (a two-handed throw): the figures are the faster arm's.")
        if not recording.motion.has_3d:
            result.notes.append("No 3D poses: pelvis and trunk rotation are not measured and the angles are "
                                "projected.")
        return result


def _throw(recording: Recording, swing: Swing) -> tuple[list[Event], dict[str, Metric]]:
    """One throw's events (its release) and metrics."""
    side, release = swing.side, swing.peak_row
    window = swing_window(recording, release)
    metrics = end_speed_metrics(recording, swing, "hand_speed", "hand speed")
    metrics["shoulder_elevation_at_release_deg"] = angle_at(
        recording, f"{side}_shoulder_elevation", release, "Throwing shoulder elevation at release", side)
    metrics["elbow_flexion_at_release_deg"] = angle_at(
        recording, f"{side}_elbow_flexion", release, "Throwing elbow flexion at release", side)
    metrics["trunk_lean_at_release_deg"] = angle_at(recording, "trunk_lean", release, "Trunk lean at release")
    metrics["shoulder_elevation_range_deg"] = range_of_motion(
        recording, window, f"{side}_shoulder_elevation", "Throwing shoulder elevation range of motion", side)
    metrics["elbow_flexion_range_deg"] = range_of_motion(
        recording, window, f"{side}_elbow_flexion", "Throwing elbow flexion range of motion", side)
    separation = hip_shoulder_separation_deg(recording, window)
    if separation is not None:
        metrics["hip_shoulder_separation_deg"] = separation
    segments = rotation_segments(recording, ("pelvis", "trunk")) + [
        Segment("elbow_extension", "elbow extension velocity",
                extension_velocity_deg_s(recording, f"{side}_elbow_flexion")),
    ]
    metrics.update(sequence_metrics(recording, window, segments, release, "hand_speed"))
    return [event_at(recording, "release", release, side)], metrics


DRILL = ThrowDrill()
