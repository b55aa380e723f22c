"""``drop-jump``: the landing of a jump scored for knee-injury risk — knee valgus (FPPA), knee flexion, time to
stabilise, and the Landing Error Scoring System items a single video can score (Padua et al. 2009).

Every landing that :mod:`stsp_app.drills.flight` finds is scored, one repetition each (a flight: both feet off the
floor, the pelvis on a ballistic arc; or a drop from a box or a ledge); a jump straight after a box landing is its
rebound, timed (ground contact, reactive strength index) rather than scored. Definitions, thresholds and
sources: docs/metrics.md, "drop-jump".
"""

from __future__ import annotations

import numpy as np

from stsp_app.core.skeleton import BLAZEPOSE_INDEX, JOINT_INDEX
from stsp_app.drills.base import (
    FRONT_VIEW_NEEDED,
    SIDE_VIEW_NEEDED,
    MovementNotFound,
    Recording,
    knee_separation_metric,
    require_feet_in_picture,
)
from stsp_app.drills.flight import (
    SIDES,
    Flight,
    FootTrack,
    find_landings,
    flight_time_height_cm,
    foot_track,
    slow_motion_hint,
    stable_row_after,
)
from stsp_app.drills.result import DrillResult, Event, Metric, Rep
from stsp_app.drills.uncertainty import FPPA_ERROR_DEG, angle_error_deg, flight_height_error_cm, timing_error_s
from stsp_app.kinematics.frontal_plane import filmed_view, knee_fppa_deg

# LESS item 1 (knee flexion at initial contact): an error below 30 degrees (Padua et al. 2009).
LESS_KNEE_FLEXION_AT_CONTACT_DEG = 30.0
# LESS item "knee flexion displacement": an error below 45 degrees from contact to the deepest point.
LESS_KNEE_FLEXION_DISPLACEMENT_DEG = 45.0
# LESS item "trunk flexion at initial contact": our reading of "trunk not flexed": trunk lean under 10 degrees.
TRUNK_FLEXED_MIN_DEG = 10.0
# LESS item "hip flexion at initial contact" ("a thigh in line with the trunk"): the same reading, hip flexion
# under 10 degrees.
HIP_FLEXED_MIN_DEG = TRUNK_FLEXED_MIN_DEG
# LESS stance width at initial contact: feet (toes) apart vs shoulder width; we count within ±20 % as
# "shoulder width" (the LESS leaves the tolerance to the rater's eye).
STANCE_WIDTH_TOLERANCE = 0.2
# The landing's deepest point is looked for this long after initial contact.
LANDING_WINDOW_S = 0.6
# A jump within this long of a box landing is its rebound (a drop jump's ground contact: 0.15-0.6 s).
MAX_GROUND_CONTACT_S = 1.0

# The LESS items read in the sagittal plane, scored from a side view only (Padua et al. 2009; operational
# definitions as in Mauntel et al. 2017), and those read in the frontal plane, from a front or back view only.
SAGITTAL_ITEMS: dict[str, str] = {
    "less_knee_flexion_at_contact":
        f"LESS: knee flexion at initial contact under {LESS_KNEE_FLEXION_AT_CONTACT_DEG:g}°",
    "less_hip_not_flexed_at_contact": "LESS: hip not flexed at initial contact",
    "less_trunk_not_flexed_at_contact": "LESS: trunk not flexed at initial contact",
    "less_small_knee_flexion_displacement":
        f"LESS: knee flexion displacement under {LESS_KNEE_FLEXION_DISPLACEMENT_DEG:g}°",
    "less_hip_not_flexing_further": "LESS: hip flexed no further at the deepest point than at initial contact",
    "less_trunk_not_flexing_further": "LESS: trunk flexed no further at the deepest point than at initial contact",
}
FRONTAL_ITEMS: dict[str, str] = {
    "less_knee_inside_foot": "LESS: knee inside the foot (valgus) at the deepest point",
    "less_stance_narrow": "LESS: stance narrower than the shoulders",
    "less_stance_wide": "LESS: stance wider than the shoulders",
}
UNSCORED_LESS_ITEMS = (
    "ankle plantar flexion at initial contact (toe to heel)", "lateral trunk flexion at initial contact",
    "foot position (toes in / out)", "hip and trunk displacement (soft, average or stiff)", "overall impression",
)


class DropJumpDrill:
    name = "drop-jump"
    title = "Drop jump (landing screening)"
    movement = "jump landing"

    def analyse(self, recording: Recording) -> DrillResult:
        require_feet_in_picture(recording, "jump")
        track = foot_track(recording)
        landings = find_landings(recording, track)
        if not landings:
            raise MovementNotFound(f"no jump found in the recording ({len(recording.motion)} frames): no landing "
                                   "after both feet left the floor or dropped from a box"
                                   + slow_motion_hint(recording, track))
        result = DrillResult(drill=self.name, fps=recording.fps, frames=len(recording.motion))
        trials = _trials(recording, track, landings)
        fppa = knee_fppa_deg(recording.motion.kp2d)
        for landing, rebound in trials:
            rep, events = _scored_landing(recording, track, fppa, landing, rebound)
            result.reps.append(rep)
            result.events.extend(events)
        first = result.reps[0].metrics
        result.metrics = {"landings": Metric(len(trials), "count", "Landings scored"), **first}
        if len(trials) > 1:
            errors = [rep.metrics["less_errors"].value for rep in result.reps]
            result.metrics["less_errors_mean"] = Metric(
                float(np.mean(errors)), "count", "LESS errors per landing, mean over the landings (items scored "
                "automatically)")
        frames = ", ".join(str(recording.frame_of_row(landing.landing_row)) for landing, _ in trials)
        drops = sum(landing.dropped for landing, _ in trials)
        rebounds = sum(rebound is not None for _, rebound in trials)
        result.notes.append(
            (f"Landing scored: initial contact at frame {frames}." if len(trials) == 1 else
             f"{len(trials)} landings scored, initial contact at frames {frames}; the headline figures are the "
             "first landing's, each landing's are in its repetition.")
            + (f" Dropped from a box or a ledge (the feet never rose above it first): {drops} of {len(trials)}."
               if drops else "")
            + (f" Rebounds timed (ground contact, reactive strength index), not scored as landings: {rebounds}."
               if rebounds else ""))
        scored = [metric.label for name, metric in first.items()
                  if name.startswith("less_") and name != "less_errors" and metric.note is None]
        result.notes.append("LESS items scored automatically from this video: " + ", ".join(scored)
                            + ". Not scored (they need a second camera or a rater's judgement): "
                            + ", ".join(UNSCORED_LESS_ITEMS) + ".")
        if first["less_knee_inside_foot"].note:
            result.notes.append("The camera does not face the child: knee valgus and stance width need a front view.")
        if first["less_knee_flexion_at_contact"].note:
            result.notes.append("The camera does not film the child from the side: the LESS items of knee, hip and "
                                "trunk flexion need a side view (the LESS films a landing from the front and the "
                                "side).")
        return result


def _trials(recording: Recording, track: FootTrack, landings: list[Flight]) -> list[tuple[Flight, Flight | None]]:
    """The landings to score, each with its rebound: the next flight, where a landing that lands lower than it
    left (a box drop) is followed within MAX_GROUND_CONTACT_S by a jump that lands where it took off. A rebound's
    own landing is not scored (the LESS scores the landing from the box)."""
    trials: list[tuple[Flight, Flight | None]] = []
    rebounds: set[int] = set()
    for index, landing in enumerate(landings):
        if index in rebounds:
            continue
        rebound = landings[index + 1] if index + 1 < len(landings) else None
        if rebound is not None and not (
                landing.lands_lower(track) and not rebound.lands_lower(track)
                and recording.time_of_row(rebound.takeoff_time_row) - recording.time_of_row(landing.landing_time_row)
                <= MAX_GROUND_CONTACT_S):
            rebound = None
        if rebound is not None:
            rebounds.add(index + 1)
        trials.append((landing, rebound))
    return trials


def _scored_landing(recording: Recording, track: FootTrack, fppa: dict[str, np.ndarray], landing: Flight,
                    rebound: Flight | None) -> tuple[Rep, list[Event]]:
    """One landing's repetition (take-off, the deeper knee's peak flexion, stable again) and its events; ``fppa``:
    each knee's FPPA over the recording."""
    fps = recording.fps
    contact = landing.landing_row
    motion = recording.motion
    angles = motion.angles.degrees
    window_end = min(len(motion), contact + int(round(LANDING_WINDOW_S * fps)) + 1)
    if rebound is not None:
        window_end = min(window_end, rebound.takeoff_row)
    events = [Event("initial_contact", recording.frame_of_row(contact),
                    recording.time_of_row(landing.landing_time_row))]
    knee_error = angle_error_deg("knee_flexion", recording.view)
    # valgus and the frontal items from a front or back view only: from a camera 45° round the FPPA read the knee's
    # bend, 44-70° off the FPPA seen square-on on the design set's landings (docs/RESULTS.md, "LESS items by view")
    view = filmed_view(motion.kp2d[contact:window_end])
    frontal, side_on = view == "front", view == "side"
    metrics: dict[str, Metric] = {}
    contact_flexion, displacement, peak_rows = {}, {}, {}
    for side in SIDES:
        flexion = angles[f"{side}_knee_flexion"]
        after_contact = flexion[contact:window_end]
        if not np.isfinite(after_contact).any():
            continue
        peak_row = peak_rows[side] = contact + int(np.nanargmax(after_contact))
        contact_flexion[side] = float(flexion[contact])
        displacement[side] = float(flexion[peak_row] - flexion[contact])
        metrics[f"{side}_knee_flexion_at_contact_deg"] = Metric(
            contact_flexion[side], "deg", "Knee flexion at initial contact", knee_error, side)
        metrics[f"{side}_peak_knee_flexion_deg"] = Metric(
            float(flexion[peak_row]), "deg", "Peak knee flexion after landing", knee_error, side)
        events.append(Event("peak_knee_flexion", recording.frame_of_row(peak_row), recording.time_of_row(peak_row),
                             side))
        if frontal:
            metrics[f"{side}_knee_fppa_at_peak_flexion_deg"] = Metric(
                float(fppa[side][peak_row]), "deg", "Knee valgus (FPPA) at peak knee flexion, valgus +",
                FPPA_ERROR_DEG, side)
        else:
            metrics[f"{side}_knee_fppa_at_peak_flexion_deg"] = Metric(
                None, "deg", "Knee valgus (FPPA) at peak knee flexion, valgus +", side=side,
                note=FRONT_VIEW_NEEDED)
    stable = None if rebound is not None else stable_row_after(track, contact, fps)
    if stable is not None:
        metrics["time_to_stabilise_s"] = Metric(recording.time_of_row(stable) - recording.time_of_row(contact),
                                                "s", "Time to stabilise after landing", timing_error_s(fps))
    else:
        metrics["time_to_stabilise_s"] = Metric(
            None, "s", "Time to stabilise after landing",
            note="the child jumps again straight away" if rebound is not None
            else "the child does not settle before the clip ends")
    if rebound is not None:
        metrics.update(_rebound_metrics(recording, landing, rebound))
        events += [Event("rebound_takeoff", recording.frame_of_row(rebound.takeoff_row),
                         recording.time_of_row(rebound.takeoff_time_row)),
                   Event("rebound_landing", recording.frame_of_row(rebound.landing_row),
                         recording.time_of_row(rebound.landing_time_row))]
    deepest = max(peak_rows, key=lambda side: angles[f"{side}_knee_flexion"][peak_rows[side]]) if peak_rows else None
    deepest_row = peak_rows[deepest] if deepest is not None else contact
    metrics["knee_ankle_separation_ratio"] = knee_separation_metric(
        frontal, motion.kp2d[deepest_row] if deepest else None, "the deepest point")
    less = _less_items(recording, contact, deepest_row, contact_flexion, displacement, frontal, side_on,
                       landing.first_contact_side, window_end)
    metrics.update(less)
    metrics["less_errors"] = Metric(sum(metric.value is True for name, metric in less.items()
                                        if name.startswith("less_")),
                                    "count", "LESS errors at this landing (items scored automatically)")
    end = rebound.takeoff_row if rebound is not None else (stable if stable is not None else window_end - 1)
    rep = Rep(recording.frame_of_row(landing.takeoff_row), recording.frame_of_row(deepest_row),
              recording.frame_of_row(max(end, deepest_row)), metrics, recording.time_of_row(deepest_row))
    return rep, events


def _rebound_metrics(recording: Recording, landing: Flight, rebound: Flight) -> dict[str, Metric]:
    """The rebound after a box drop: ground contact time, its jump height by flight time and the reactive strength
    index (jump height over ground contact time, m/s; Flanagan & Comyns 2008)."""
    frame_error_s = timing_error_s(recording.fps)
    contact_s = recording.time_of_row(rebound.takeoff_time_row) - recording.time_of_row(landing.landing_time_row)
    flight_s = rebound.flight_time_s(recording)
    height_cm = flight_time_height_cm(flight_s)
    height_error_cm = flight_height_error_cm(flight_s, frame_error_s)
    rsi = height_cm / 100.0 / contact_s
    # Each of the three moments (landing, rebound take-off, rebound landing) ± one frame, independently: the take-off
    # lengthens the contact as it shortens the flight.
    rsi_error = rsi * frame_error_s * float(np.sqrt((2.0 / flight_s + 1.0 / contact_s) ** 2 + (2.0 / flight_s) ** 2
                                                    + (1.0 / contact_s) ** 2))
    return {
        "ground_contact_time_s": Metric(contact_s, "s", "Ground contact time before the rebound", frame_error_s),
        "rebound_jump_height_cm": Metric(height_cm, "cm", "Rebound jump height (flight time)", height_error_cm),
        "reactive_strength_index_m_s": Metric(rsi, "m/s", "Reactive strength index (rebound height over ground "
                                                          "contact time)", rsi_error),
    }


def _less_items(recording: Recording, contact: int, deepest_row: int, contact_flexion: dict[str, float],
                displacement: dict[str, float], frontal: bool, side_on: bool, first_side: str | None,
                window_end: int) -> dict[str, Metric]:
    """The LESS items this video scores, each True where the error is present (value None where unmeasurable).

    As the LESS films a landing with two cameras, the sagittal items (knee, hip and trunk flexion) are scored from a
    side view only (``side_on``) and the frontal ones (valgus, stance width) from a front or back view only
    (``frontal``): from the front the 3D reads a nearly straight knee about 20° too bent and a deep one too
    straight, and the knee-flexion item then agreed with the mocap's own angles on 16 of 71 held-out children's
    and adults' landings, against 68 of 70 from the side (docs/RESULTS.md, "LESS items by view")."""
    if side_on:
        items = _sagittal_items(recording, contact, deepest_row, contact_flexion, displacement)
    else:
        items = {name: Metric(None, "yes/no", label, note=SIDE_VIEW_NEEDED) for name, label in SAGITTAL_ITEMS.items()}
    items["less_asymmetric_landing"] = Metric(first_side is not None, "yes/no",
                                              "LESS: feet do not touch down in the same frame")
    if not frontal:
        items.update({name: Metric(None, "yes/no", label, note=FRONT_VIEW_NEEDED)
                      for name, label in FRONTAL_ITEMS.items()})
        return items
    items["less_knee_inside_foot"] = Metric(_knee_inside_foot(recording, contact, window_end), "yes/no",
                                            FRONTAL_ITEMS["less_knee_inside_foot"])
    ratio = _stance_width_ratio(recording, contact)
    items["stance_width_ratio"] = Metric(ratio, "ratio", "Feet apart over shoulder width at initial contact")
    narrow = None if ratio is None else bool(ratio < 1.0 - STANCE_WIDTH_TOLERANCE)
    wide = None if ratio is None else bool(ratio > 1.0 + STANCE_WIDTH_TOLERANCE)
    items["less_stance_narrow"] = Metric(narrow, "yes/no", FRONTAL_ITEMS["less_stance_narrow"])
    items["less_stance_wide"] = Metric(wide, "yes/no", FRONTAL_ITEMS["less_stance_wide"])
    return items


def _sagittal_items(recording: Recording, contact: int, deepest_row: int, contact_flexion: dict[str, float],
                    displacement: dict[str, float]) -> dict[str, Metric]:
    """The sagittal LESS items (SAGITTAL_ITEMS) of a landing filmed from the side: at initial contact (``contact``)
    and at the deeper knee's peak flexion (``deepest_row``)."""
    angles = recording.motion.angles.degrees

    def both_hips(row: int) -> float:
        values = np.array([angles[f"{side}_hip_flexion"][row] for side in SIDES])
        return float(np.nanmean(values)) if np.isfinite(values).any() else np.nan

    hip = {row: both_hips(row) for row in (contact, deepest_row)}
    trunk = {row: float(angles["trunk_lean"][row]) for row in (contact, deepest_row)}
    # where no knee's peak was found after contact, nothing tells whether the hips and trunk flexed further
    later = deepest_row > contact
    flexion = [value for value in contact_flexion.values() if np.isfinite(value)]
    moved = [value for value in displacement.values() if np.isfinite(value)]
    thighs = [angles[f"{side}_hip_flexion"][contact] for side in SIDES
              if np.isfinite(angles[f"{side}_hip_flexion"][contact])]
    errors = {
        "less_knee_flexion_at_contact": bool(min(flexion) < LESS_KNEE_FLEXION_AT_CONTACT_DEG) if flexion else None,
        "less_hip_not_flexed_at_contact": bool(min(thighs) < HIP_FLEXED_MIN_DEG) if thighs else None,
        "less_trunk_not_flexed_at_contact":
            bool(trunk[contact] < TRUNK_FLEXED_MIN_DEG) if np.isfinite(trunk[contact]) else None,
        "less_small_knee_flexion_displacement":
            bool(min(moved) < LESS_KNEE_FLEXION_DISPLACEMENT_DEG) if moved else None,
        "less_hip_not_flexing_further":
            bool(hip[deepest_row] <= hip[contact]) if later and np.isfinite([hip[contact], hip[deepest_row]]).all()
            else None,
        "less_trunk_not_flexing_further":
            bool(trunk[deepest_row] <= trunk[contact])
            if later and np.isfinite([trunk[contact], trunk[deepest_row]]).all() else None,
    }
    return {name: Metric(errors[name], "yes/no", label) for name, label in SAGITTAL_ITEMS.items()}


def _foot_x_px(recording: Recording, side: str) -> np.ndarray:
    """(T,) image x of a foot: its toe (BlazePose foot index) where seen, else its ankle."""
    toe = recording.motion.kp2d_raw33[:, BLAZEPOSE_INDEX[f"{side}_foot_index"], 0]
    return np.where(np.isfinite(toe), toe, recording.motion.kp2d[:, JOINT_INDEX[f"{side}_ankle"], 0])


def _knee_inside_foot(recording: Recording, contact: int, window_end: int) -> bool | None:
    """LESS "knee valgus": at either knee's deepest point the knee lies medially of its foot (towards the
    other hip)."""
    kp2d = recording.motion.kp2d
    angles = recording.motion.angles.degrees
    inside = []
    for side, other in (("left", "right"), ("right", "left")):
        flexion = angles[f"{side}_knee_flexion"][contact:window_end]
        if not np.isfinite(flexion).any():
            continue
        row = contact + int(np.nanargmax(flexion))
        medial = np.sign(kp2d[row, JOINT_INDEX[f"{other}_hip"], 0] - kp2d[row, JOINT_INDEX[f"{side}_hip"], 0])
        offset = kp2d[row, JOINT_INDEX[f"{side}_knee"], 0] - _foot_x_px(recording, side)[row]
        if np.isfinite(offset) and medial != 0:
            inside.append(bool(offset * medial > 0))
    return any(inside) if inside else None


def _stance_width_ratio(recording: Recording, contact: int) -> float | None:
    kp2d = recording.motion.kp2d
    feet = abs(_foot_x_px(recording, "left")[contact] - _foot_x_px(recording, "right")[contact])
    shoulders = abs(kp2d[contact, JOINT_INDEX["left_shoulder"], 0] - kp2d[contact, JOINT_INDEX["right_shoulder"], 0])
    if not (np.isfinite(feet) and np.isfinite(shoulders)) or shoulders <= 0:
        return None
    return float(feet / shoulders)


DRILL = DropJumpDrill()
