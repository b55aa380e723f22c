"""``throw``: an overarm throw — the throwing arm, release, the arm's and the trunk's angles at release, the
hip-shoulder separation, peak velocities and their proximal-to-distal sequence (pelvis rotation → trunk rotation
→ elbow extension → hand speed).

Definitions, thresholds and sources: docs/metrics.md, "throw". The throw scored is the fastest hand swing of the
recording, unless it is no throw: both hands swinging together as the feet leave or meet the floor (a jump), a
foot faster than the hand (a kick), or one of a rhythm of like swings (running; ``segment_sequence.fastest_swing``).
Both hands together with the feet down is a two-handed throw, scored on the faster arm.
"""

from __future__ import annotations

from stsp_app.drills.base import Recording
from stsp_app.drills.result import DrillResult
from stsp_app.drills.segment_sequence import (
    SWING_READS_AHEAD_S,
    Segment,
    angle_at,
    end_speed_metrics,
    event_at,
    extension_velocity_deg_s,
    fastest_swing,
    hip_shoulder_separation_deg,
    low_rate_note,
    range_of_motion,
    rotation_segments,
    sequence_metrics,
    swing_window,
)

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
        swing = fastest_swing(recording, "wrist", MIN_WRIST_SPEED_HEIGHTS_S, self.movement)
        side, release = swing.side, swing.peak_row
        window = swing_window(recording, release)
        result = DrillResult(drill=self.name, fps=recording.fps, frames=len(recording.motion))
        result.events.append(event_at(recording, "release", release, side))
        result.metrics.update(end_speed_metrics(recording, swing, "hand_speed", "hand speed"))
        result.metrics["shoulder_elevation_at_release_deg"] = angle_at(
            recording, f"{side}_shoulder_elevation", release, "Throwing shoulder elevation at release", side)
        result.metrics["elbow_flexion_at_release_deg"] = angle_at(
            recording, f"{side}_elbow_flexion", release, "Throwing elbow flexion at release", side)
        result.metrics["trunk_lean_at_release_deg"] = angle_at(recording, "trunk_lean", release,
                                                               "Trunk lean at release")
        result.metrics["shoulder_elevation_range_deg"] = range_of_motion(
            recording, window, f"{side}_shoulder_elevation", "Throwing shoulder elevation range of motion", side)
        result.metrics["elbow_flexion_range_deg"] = range_of_motion(
            recording, window, f"{side}_elbow_flexion", "Throwing elbow flexion range of motion", side)
        separation = hip_shoulder_separation_deg(recording, window)
        if separation is not None:
            result.metrics["hip_shoulder_separation_deg"] = separation
        segments = rotation_segments(recording, ("pelvis", "trunk")) + [
            Segment("elbow_extension", "elbow extension velocity",
                    extension_velocity_deg_s(recording, f"{side}_elbow_flexion")),
        ]
        result.metrics.update(sequence_metrics(recording, window, segments, release, "hand_speed"))
        result.notes.append(f"Throwing arm: {side}. Release is taken at the hand's peak speed (frame "
                            f"{recording.frame_of_row(release)}); the ball leaves the hand within a frame or two "
                            "of it. The ball itself is not seen: a single fast arm swing without one (a wave, a "
                            "gesture) reads the same, so look at that frame.")
        if swing.both_together:
            result.notes.append(f"Both hands threw together (a two-handed throw): the figures are the faster arm's "
                                f"({side}).")
        if not recording.motion.has_3d:
            result.notes.append("No 3D poses: pelvis and trunk rotation are not measured and the angles are "
                                "projected.")
        if (note := low_rate_note(recording, self.movement)) is not None:
            result.notes.append(note)
        if recording.stature_mm is None:
            result.notes.append("The child's height is not known: the hand speed is given in body heights per "
                                "second only.")
        return result


DRILL = ThrowDrill()
