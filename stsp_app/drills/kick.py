"""``kick``: a kick of a ball — the kicking leg, ball contact, the swing's ranges of motion, peak velocities and
their proximal-to-distal sequence (pelvis rotation → hip flexion → knee extension → foot speed).

Definitions, thresholds and sources: docs/metrics.md, "kick". The fastest foot swing of the recording (a run-up's
strides are slower than the kick itself) decides whether it holds a kick: not where both feet move together (a
jump), it is one of a rhythm of like swings (running) or a foot lands just after it (a step;
``drills.swings.swings``). Each kick of a series is one Rep; the headline figures are the kick with the fastest
foot.
"""

from __future__ import annotations

import numpy as np

from stsp_app.drills.base import Recording
from stsp_app.drills.result import DrillResult, Event, Metric
from stsp_app.drills.segment_sequence import (
    Segment,
    angle_at,
    attempts_result,
    end_speed_metrics,
    event_at,
    extension_velocity_deg_s,
    flexion_velocity_deg_s,
    range_of_motion,
    rotation_segments,
    sequence_metrics,
)
from stsp_app.drills.swings import SWING_READS_AHEAD_S, Swing, swing_window, swings

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
        kicks = swings(recording, "ankle", MIN_FOOT_SPEED_HEIGHTS_S, self.movement)
        result = attempts_result(self.name, recording, kicks, _kick, "foot_speed", "kick")
        where = (f"Kicking leg: {kicks[0].side}. Ball contact is taken at the foot's peak speed (frame "
                 f"{recording.frame_of_row(kicks[0].peak_row)})" if len(kicks) == 1
                 else "Ball contact is taken at each kick's peak foot speed")
        result.notes.append(f"{where}: in a kick the foot is fastest just before it meets the ball. The ball itself "
                            "is not seen: a single fast leg swing without one (a leg raised, a long step) reads the "
                            "same, so look at that frame.")
        if not recording.motion.has_3d:
            result.notes.append("No 3D poses: pelvis rotation is not measured and the angles are projected.")
        return result


def _kick(recording: Recording, swing: Swing) -> tuple[list[Event], dict[str, Metric]]:
    """One kick's events (the top of its backswing, ball contact) and metrics."""
    side, support, contact = swing.side, _OTHER[swing.side], swing.peak_row
    window = swing_window(recording, contact)
    events, metrics = [], {}
    knee = recording.motion.angles.degrees[f"{side}_knee_flexion"]
    backswing = slice(window.start, contact + 1)
    if np.isfinite(knee[backswing]).any():
        top = backswing.start + int(np.nanargmax(knee[backswing]))
        events.append(event_at(recording, "backswing_top", top, side))
        metrics["knee_flexion_backswing_deg"] = angle_at(
            recording, f"{side}_knee_flexion", top, "Kicking knee flexion at the top of the backswing", side)
    events.append(event_at(recording, "ball_contact", contact, side))
    metrics.update(end_speed_metrics(recording, swing, "foot_speed", "foot speed"))
    metrics["knee_flexion_at_contact_deg"] = angle_at(
        recording, f"{side}_knee_flexion", contact, "Kicking knee flexion at ball contact", side)
    metrics["support_knee_flexion_at_contact_deg"] = angle_at(
        recording, f"{support}_knee_flexion", contact, "Support knee flexion at ball contact", support)
    metrics["trunk_lean_at_contact_deg"] = angle_at(recording, "trunk_lean", contact, "Trunk lean at ball contact")
    metrics["hip_flexion_range_deg"] = range_of_motion(
        recording, window, f"{side}_hip_flexion", "Kicking hip flexion range of motion", side)
    metrics["knee_flexion_range_deg"] = range_of_motion(
        recording, window, f"{side}_knee_flexion", "Kicking knee flexion range of motion", side)
    segments = rotation_segments(recording, ("pelvis",)) + [
        Segment("hip_flexion", "hip flexion velocity", flexion_velocity_deg_s(recording, f"{side}_hip_flexion")),
        Segment("knee_extension", "knee extension velocity",
                extension_velocity_deg_s(recording, f"{side}_knee_flexion")),
    ]
    metrics.update(sequence_metrics(recording, window, segments, contact, "foot_speed"))
    return events, metrics


DRILL = KickDrill()
