"""``vertical-jump``: countermovement jumps — flight time, jump height, countermovement depth, arm swing.

Definitions, formulas and sources: docs/metrics.md, "vertical-jump". Take-off and landing come from
:mod:`stsp_app.drills.flight`; one Rep per jump (start of the countermovement, its deepest point, stable
again after landing); the headline metrics are the best jump's (highest by flight time).
"""

from __future__ import annotations

import numpy as np

from stsp_app.drills.base import MovementNotFound, Recording, require_feet_in_picture
from stsp_app.drills.flight import (
    Flight,
    FootTrack,
    find_flights,
    flight_time_height_cm,
    foot_track,
    pelvis_arc,
    slow_motion_hint,
    stable_row_after,
)
from stsp_app.drills.result import DrillResult, Event, Metric, Rep
from stsp_app.drills.uncertainty import (
    angle_error_deg,
    flight_height_error_cm,
    timing_error_s,
)

# The countermovement starts where the pelvis has dropped this share of its full depth below standing.
COUNTERMOVEMENT_START_SHARE = 0.1
# The countermovement is looked for this long before take-off.
COUNTERMOVEMENT_WINDOW_S = 1.5


class VerticalJumpDrill:
    name = "vertical-jump"
    title = "Vertical jump (countermovement jump)"
    movement = "jump"

    def analyse(self, recording: Recording) -> DrillResult:
        require_feet_in_picture(recording, self.movement)
        track = foot_track(recording)
        flights = find_flights(recording, track)
        if not flights:
            raise MovementNotFound(f"no jump found in the recording ({len(recording.motion)} frames): the feet "
                                   "never leave the floor together on a ballistic arc"
                                   + slow_motion_hint(recording, track))
        result = DrillResult(drill=self.name, fps=recording.fps, frames=len(recording.motion))
        for flight in flights:
            rep = _jump_rep(recording, track, flight)
            result.reps.append(rep)
            result.events.append(Event("takeoff", recording.frame_of_row(flight.takeoff_row),
                                       recording.time_of_row(flight.takeoff_time_row)))
            result.events.append(Event("landing", recording.frame_of_row(flight.landing_row),
                                       recording.time_of_row(flight.landing_time_row)))
        best = int(np.argmax([rep.metrics["jump_height_cm"].value for rep in result.reps]))
        result.metrics = {"jumps": Metric(len(flights), "count", "Jumps found"), **result.reps[best].metrics}
        takeoff_frame = recording.frame_of_row(flights[best].takeoff_row)
        result.notes.append(f"{len(flights)} jump(s) found; the headline metrics are the highest jump's "
                            f"(jump {best + 1}, take-off at frame {takeoff_frame}).")
        result.notes.append("Take-off and landing are read from the " + (
            "heels and toes" if track.uses_toes else "ankles (no foot landmarks in this recording)") +
            " leaving and reaching their floor lines in the image.")
        if track.mm_per_px is None:
            result.notes.append("The child's height is not known: jump height is from flight time only; give "
                                "the height (--stature-cm) for the pelvis-rise height and countermovement depth.")
        return result


def _jump_rep(recording: Recording, track: FootTrack, flight: Flight) -> Rep:
    fps = recording.fps
    flight_time_s = flight.flight_time_s(recording)
    frame_error_s = timing_error_s(fps)
    metrics = {
        "flight_time_s": Metric(flight_time_s, "s", "Flight time", frame_error_s),
        "jump_height_cm": Metric(flight_time_height_cm(flight_time_s), "cm", "Jump height (flight time)",
                                 flight_height_error_cm(flight_time_s, frame_error_s)),
    }
    pelvis = track.pelvis_y_px
    window_start = max(0, flight.takeoff_row - int(round(COUNTERMOVEMENT_WINDOW_S * fps)))
    before = pelvis[window_start:flight.takeoff_row]
    deepest = window_start + int(np.nanargmax(before)) if np.isfinite(before).any() else flight.takeoff_row
    standing_y = float(np.nanmin(pelvis[window_start:deepest + 1]))
    depth_px = float(pelvis[deepest]) - standing_y
    upright = np.flatnonzero(~(pelvis[window_start:deepest] > standing_y + COUNTERMOVEMENT_START_SHARE * depth_px))
    start = window_start + int(upright[-1]) + 1 if len(upright) else window_start
    end = stable_row_after(track, flight.landing_row, fps)
    end = flight.landing_row if end is None else end

    arc = pelvis_arc(track, flight.takeoff_row, flight.landing_row)
    if track.mm_per_px is not None and arc is not None:
        apex_row = -arc[1] / (2.0 * arc[0])
        rise_px = float(np.polyval(arc, flight.takeoff_time_row) - np.polyval(arc, apex_row))
        metrics["jump_height_pelvis_cm"] = Metric(
            rise_px * track.mm_per_px / 10.0, "cm", "Jump height (pelvis rise, take-off to apex)")
    if track.mm_per_px is not None:
        metrics["countermovement_depth_cm"] = Metric(depth_px * track.mm_per_px / 10.0, "cm",
                                                     "Countermovement depth (pelvis drop)")
    else:
        metrics["countermovement_depth_cm"] = Metric(None, "cm", "Countermovement depth (pelvis drop)",
                                                     note="needs the child's height")
    angles = recording.motion.angles.degrees
    knee = np.nanmean([angles["left_knee_flexion"][deepest], angles["right_knee_flexion"][deepest]])
    metrics["countermovement_knee_flexion_deg"] = Metric(
        float(knee), "deg", "Knee flexion at the deepest point", angle_error_deg("knee_flexion", recording.view))
    shoulders = np.nanmean([angles["left_shoulder_elevation"][deepest:flight.landing_row + 1],
                            angles["right_shoulder_elevation"][deepest:flight.landing_row + 1]], axis=0)
    if np.isfinite(shoulders).any():
        metrics["arm_swing_deg"] = Metric(float(np.nanmax(shoulders)), "deg",
                                          "Arm swing (highest shoulder elevation, deepest point to landing)",
                                          angle_error_deg("shoulder_elevation", recording.view))
    return Rep(recording.frame_of_row(start), recording.frame_of_row(deepest), recording.frame_of_row(end), metrics,
               recording.time_of_row(deepest))


DRILL = VerticalJumpDrill()
