"""``kick``: a kick of a ball — the kicking leg, ball contact, the swing's ranges of motion, peak velocities and
their proximal-to-distal sequence (pelvis rotation → hip flexion → knee extension → foot speed).

Definitions, thresholds and sources: docs/metrics.md, "kick". The kick scored is the fastest foot swing of the
recording (a run-up's strides are slower than the kick itself), unless it is no kick: both feet moving together
(a jump) or one of a rhythm of like swings (running; ``segment_sequence.fastest_swing``).
"""

from __future__ import annotations

import numpy as np

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
    flexion_velocity_deg_s,
    low_rate_note,
    range_of_motion,
    rotation_segments,
    sequence_metrics,
    swing_window,
)

# A kick moves the kicking foot at least this fast relative to the pelvis (body heights per second). Mocap of
# children and adults (Kinder-Gator, 30 fps): gentle kicks peak at 1.9-4.3, kicks "as far as you can" at
# 2.4-6.1; standing, walking in place and jumping stay under 2.3 (mostly under 1.7).
MIN_FOOT_SPEED_HEIGHTS_S = 1.8
_OTHER = {"left": "right", "right": "left"}


class KickDrill:
    name = "kick"
    title = "Kick"
    movement = "kick"
    reads_ahead_s = SWING_READS_AHEAD_S  # the live drill waits for the second after the swing

    def analyse(self, recording: Recording) -> DrillResult:
        swing = fastest_swing(recording, "ankle", MIN_FOOT_SPEED_HEIGHTS_S, self.movement)
        side, support, contact = swing.side, _OTHER[swing.side], swing.peak_row
        window = swing_window(recording, contact)
        result = DrillResult(drill=self.name, fps=recording.fps, frames=len(recording.motion))
        result.events.append(event_at(recording, "ball_contact", contact, side))
        knee = recording.motion.angles.degrees[f"{side}_knee_flexion"]
        backswing = slice(window.start, contact + 1)
        if np.isfinite(knee[backswing]).any():
            top = backswing.start + int(np.nanargmax(knee[backswing]))
            result.events.append(event_at(recording, "backswing_top", top, side))
            result.metrics["knee_flexion_backswing_deg"] = angle_at(
                recording, f"{side}_knee_flexion", top, "Kicking knee flexion at the top of the backswing", side)
        result.metrics.update(end_speed_metrics(recording, swing, "foot_speed", "foot speed"))
        result.metrics["knee_flexion_at_contact_deg"] = angle_at(
            recording, f"{side}_knee_flexion", contact, "Kicking knee flexion at ball contact", side)
        result.metrics["support_knee_flexion_at_contact_deg"] = angle_at(
            recording, f"{support}_knee_flexion", contact, "Support knee flexion at ball contact", support)
        result.metrics["trunk_lean_at_contact_deg"] = angle_at(recording, "trunk_lean", contact,
                                                               "Trunk lean at ball contact")
        result.metrics["hip_flexion_range_deg"] = range_of_motion(
            recording, window, f"{side}_hip_flexion", "Kicking hip flexion range of motion", side)
        result.metrics["knee_flexion_range_deg"] = range_of_motion(
            recording, window, f"{side}_knee_flexion", "Kicking knee flexion range of motion", side)
        segments = rotation_segments(recording, ("pelvis",)) + [
            Segment("hip_flexion", "hip flexion velocity", flexion_velocity_deg_s(recording, f"{side}_hip_flexion")),
            Segment("knee_extension", "knee extension velocity",
                    extension_velocity_deg_s(recording, f"{side}_knee_flexion")),
        ]
        result.metrics.update(sequence_metrics(recording, window, segments, contact, "foot_speed"))
        result.notes.append(f"Kicking leg: {side}. Ball contact is taken at the foot's peak speed (frame "
                            f"{recording.frame_of_row(contact)}): in a kick the foot is fastest just before it "
                            "meets the ball. The ball itself is not seen: a single fast leg swing without one (a "
                            "leg raised, a long step) reads the same, so look at that frame.")
        if not recording.motion.has_3d:
            result.notes.append("No 3D poses: pelvis rotation is not measured and the angles are projected.")
        if (note := low_rate_note(recording, self.movement)) is not None:
            result.notes.append(note)
        if recording.stature_mm is None:
            result.notes.append("The child's height is not known: the foot speed is given in body heights per "
                                "second only.")
        return result


DRILL = KickDrill()
