"""``run``: running strides — foot strikes and toe-offs, cadence, contact time, knee angles, trunk lean.

Definitions, formulas and sources: docs/metrics.md, "run". The foot events come from
:func:`stsp_app.kinematics.foot_events.foot_events` (feet still on their ground line in the image; one-frame
leg swaps repaired first); the angles are the 3D joint angles of the recording.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from stsp_app.drills.base import ASK_FILMING_RATE, MovementNotFound, Recording, require_feet_in_picture
from stsp_app.drills.result import SIDES, DrillResult, Event, Metric
from stsp_app.drills.uncertainty import angle_error_deg, timing_error_s
from stsp_app.kinematics.foot_events import FootEvent, foot_events

# A run has both feet off the ground before most foot strikes (a walk never does) and steps 150-200 times a minute
# (joggers 160-175, sprinters 220-260; children faster): a "run" stepping under this many times a minute is a
# slow-motion video timed as it plays (docs/metrics.md, "run").
SLOWEST_RUN_STEPS_PER_MIN = 130.0
# A cadence needs two steps at least: three foot strikes (one step between two strikes is a stride's half, or
# the last steps of a run-up before a kick).
MIN_FOOT_STRIKES = 3
# The picture cannot tell a 45° view from a crouched sprinter's side view (docs/metrics.md), so every result says it.
SIDE_VIEW_NOTE = ("Foot events are read for a runner filmed from the side, overground or on a treadmill, with the "
                  "camera still or turning after the runner; filmed at 45° to the running direction, contacts read "
                  "several frames early.")


class RunDrill:
    name = "run"
    title = "Running stride"
    movement = "running stride"

    def analyse(self, recording: Recording) -> DrillResult:
        motion = recording.motion
        require_feet_in_picture(recording, "running strides")
        events = foot_events(motion.kp2d, motion.kp2d_raw33, recording.fps)
        strikes = [event for event in events if event.kind == "foot_strike"]
        if len({event.row for event in strikes}) < MIN_FOOT_STRIKES:
            raise MovementNotFound(f"no running strides found in the recording ({len(motion)} frames): fewer than "
                                   f"{MIN_FOOT_STRIKES} foot strikes (two steps)")
        result = DrillResult(drill=self.name, fps=recording.fps, frames=len(motion))
        result.events = [Event(event.kind, recording.frame_of_row(event.row), recording.time_of_row(event.row),
                               event.side) for event in events]
        time_error_s = timing_error_s(recording.fps)
        # both feet can read as striking on one frame (a 2D flicker): one moment, not a step of no duration
        steps, span_s = _steps_and_span_s(sorted({recording.time_of_row(event.row) for event in strikes}))
        cadence = 60.0 * steps / span_s
        result.metrics["cadence_steps_per_min"] = Metric(
            cadence, "steps/min", "Cadence (steps per minute, first to last foot strike)",
            60.0 * steps * np.sqrt(2.0) * time_error_s / span_s ** 2)
        contact_s = {side: _contact_times_s(recording, events, side) for side in SIDES}
        for side in SIDES:
            result.metrics[f"{side}_contact_time_s"] = (
                Metric(float(np.median(contact_s[side])), "s", f"Ground contact time ({side}, median)",
                       time_error_s * np.sqrt(2.0), side=side) if contact_s[side] else
                Metric(None, "s", f"Ground contact time ({side})", side=side, note="no whole contact seen"))
        if contact_s["left"] and contact_s["right"]:
            result.metrics["contact_time_asymmetry_s"] = Metric(
                float(np.median(contact_s["left"]) - np.median(contact_s["right"])), "s",
                "Left minus right contact time", 2.0 * time_error_s)
        result.metrics.update(_knee_metrics(recording, events))
        trunk = motion.angles.degrees["trunk_lean"][strikes[0].row:strikes[-1].row + 1]
        if np.isfinite(trunk).any():
            result.metrics["trunk_lean_deg"] = Metric(float(np.nanmean(trunk)), "deg",
                                                      "Mean trunk lean (first to last foot strike)",
                                                      angle_error_deg("trunk_lean", recording.view))
        airborne = _strikes_after_a_flight(events)
        if cadence < SLOWEST_RUN_STEPS_PER_MIN and 2 * airborne > len(strikes):
            result.notes.insert(0, f"A run of {cadence:.0f} steps a minute with both feet off the ground before "
                                   f"{airborne} of {len(strikes)} foot strikes: slower than anyone runs. If this is a "
                                   f"slow-motion video, {ASK_FILMING_RATE}: every time and the cadence are then "
                                   "real.")
        elif 2 * airborne <= len(strikes):
            result.notes.insert(0, f"Both feet were off the ground before only {airborne} of {len(strikes)} foot "
                                   "strikes: a run has a flight before most steps, so this looks like walking or "
                                   "stepping (or the feet were hard to see); the figures are those of the steps.")
        result.notes.append(f"{len(strikes)} foot strike(s) and "
                            f"{sum(event.kind == 'toe_off' for event in events)} toe-off(s) found.")
        result.notes.append("Left and right follow the 2D keypoints; in a side view the far leg's side can be "
                            "confused for several frames, so per-side figures are less sure than cadence.")
        result.notes.append(SIDE_VIEW_NOTE)
        return result


def _steps_and_span_s(strike_times_s: list[float]) -> tuple[int, float]:
    """The steps taken between the first and the last of these foot strikes, and the time they took. Counting
    steps over the whole span rather than taking the median step keeps a frame's rounding from each step (at
    22.5 frames/s a 0.23 s step reads as 5 or 6 frames: a median of 0.27 s, 13 % off); a gap of about two steps
    (a strike the 2D missed) counts as two."""
    gaps_s = np.diff(strike_times_s)
    steps = np.maximum(1, np.round(gaps_s / np.median(gaps_s)))
    return int(steps.sum()), float(strike_times_s[-1] - strike_times_s[0])


def _strikes_after_a_flight(events: list[FootEvent]) -> int:
    """Foot strikes before which both feet were off the ground: the other foot's last event was a toe-off."""
    last_kind = {side: None for side in SIDES}
    airborne = 0
    for event in events:  # in time order; on one row toe-offs after strikes ("foot_strike" < "toe_off")
        other = "right" if event.side == "left" else "left"
        airborne += event.kind == "foot_strike" and last_kind[other] == "toe_off"
        last_kind[event.side] = event.kind
    return airborne


def _contact_times_s(recording: Recording, events: list[FootEvent], side: str) -> list[float]:
    """Durations of this side's contacts: each foot strike to the same side's next toe-off (none in between)."""
    own = [event for event in events if event.side == side]
    return [recording.time_of_row(after.row) - recording.time_of_row(before.row)
            for before, after in pairwise(own) if before.kind == "foot_strike" and after.kind == "toe_off"]


def _knee_metrics(recording: Recording, events: list[FootEvent]) -> dict[str, Metric]:
    """Per side: mean knee flexion at foot strike, and mean peak flexion of the swings (toe-off to the same
    side's next foot strike)."""
    angles = recording.motion.angles.degrees
    knee_error = angle_error_deg("knee_flexion", recording.view)
    metrics = {}
    for side in SIDES:
        knee = angles[f"{side}_knee_flexion"]
        own = [event for event in events if event.side == side]
        at_strike = [knee[event.row] for event in own if event.kind == "foot_strike" and np.isfinite(knee[event.row])]
        swing_peaks = [float(np.nanmax(knee[before.row:after.row + 1])) for before, after in pairwise(own)
                       if before.kind == "toe_off" and after.kind == "foot_strike"
                       and np.isfinite(knee[before.row:after.row + 1]).any()]
        if at_strike:
            metrics[f"{side}_knee_flexion_at_strike_deg"] = Metric(
                float(np.mean(at_strike)), "deg", f"Knee flexion at foot strike ({side})", knee_error, side=side)
        if swing_peaks:
            metrics[f"{side}_peak_swing_knee_flexion_deg"] = Metric(
                float(np.mean(swing_peaks)), "deg", f"Peak knee flexion in swing ({side})", knee_error, side=side)
    return metrics


DRILL = RunDrill()
