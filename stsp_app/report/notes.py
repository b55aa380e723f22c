"""Short plain-language sentences for a parent: what was measured, what the numbers mean, how sure they are.

The sentences describe the movement and the measurement; they never diagnose. Where a value lies outside a
cited reference band they say so in neutral words, with the band's population and source; where no band fits
the child they say that the numbers are best compared with the child's own sessions.
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING

from stsp_app.records import Child
from stsp_app.report.formatting import amount_text, quantity_text
from stsp_app.report.references import bands_of

if TYPE_CHECKING:
    from stsp_app.report.content import MetricRow, SessionSection, Trend

# Per drill, the metrics that get a sentence of their own (where measured), and how each was measured or what
# it means in everyday words ("" when the label says it all).
KEY_METRICS: dict[str, dict[str, str]] = {
    "vertical-jump": {
        "jump_height_cm": "worked out from the time in the air, as jump mats do",
        "countermovement_knee_flexion_deg": "0° is a straight leg",
    },
    "drop-jump": {
        "left_knee_fppa_at_peak_flexion_deg": "seen from the front; above 0° the knee lies inside the line from "
                                              "hip to ankle",
        "right_knee_fppa_at_peak_flexion_deg": "seen from the front; above 0° the knee lies inside the line from "
                                               "hip to ankle",
        "time_to_stabilise_s": "from touching down until the body is still",
        "reactive_strength_index_m_s": "how high the jump straight after the box landing goes for its time on the "
                                       "ground: higher is springier",
    },
    "squat": {
        "knee_flexion_peak_mean_deg": "0° is a straight leg",
        "below_parallel_reps": "squats in which the hip went lower than the top of the knee",
    },
    "run": {
        "cadence_steps_per_min": "both feet counted",
        "left_contact_time_s": "how long the foot stays on the ground in each step",
        "right_contact_time_s": "how long the foot stays on the ground in each step",
    },
    "throw": {
        "peak_hand_speed_m_s": "relative to the hips",
        "peak_hand_speed_heights_s": "relative to the hips, in body heights per second",
        "proximal_to_distal": "hips first, then trunk, elbow and hand: the order coaches teach",
    },
    "kick": {
        "peak_foot_speed_m_s": "relative to the hips",
        "peak_foot_speed_heights_s": "relative to the hips, in body heights per second",
        "proximal_to_distal": "hips first, then thigh, knee and foot: the order coaches teach",
    },
}


def main_result(section: SessionSection) -> MetricRow | None:
    """The metric that sums a session up in one line: its drill's first key metric that was measured, else its
    first measured number."""
    if section.drill_title is None:
        return None
    rows = {row.name: row for row in section.metrics if row.value is not None}
    for name in KEY_METRICS.get(section.session.drill_result["drill"], {}):
        if name in rows:
            return rows[name]
    return next((row for row in rows.values() if row.unit != "count"), None)


def day_text(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def metric_sentence(row: MetricRow, how: str) -> str:
    side = f" ({row.side})" if row.side and f"({row.side}" not in row.label else ""
    meaning = f", {how}" if how else ""
    return f"{row.label}{side}: {quantity_text(row.value, row.uncertainty, row.unit)}{meaning}."


def band_sentence(row: MetricRow, how: str = "") -> str:
    """The value, what it means (``how``), and where it lies against its reference band, with the source."""
    reading = row.band
    band = reading.band
    side = f" ({row.side})" if row.side and f"({row.side}" not in row.label else ""
    sentence = (f"{row.label}{side}: {quantity_text(row.value, row.uncertainty, row.unit)}" +
                (f", {how}" if how else "") + f". It lies {reading.position} the range {band.range_text} that "
                f"{band.source.short} give for {band.who}.")
    if reading.reaches_band:
        sentence += " Within its ± it could lie inside that range."
    return sentence


def unfitting_band_sentences(child: Child, drill: str, rows: list[MetricRow]) -> list[str]:
    """Why a published band of a measured metric is not used: the child's sex is not recorded, or the band
    describes other ages (one sentence per measure)."""
    sentences = {}
    for row in rows:
        bands = bands_of(drill, row.name) if row.value is not None and not isinstance(row.value, bool) else []
        if not bands or bands[0].measure in sentences:
            continue
        band = next((band for band in bands if band.sex == child.sex), bands[0])
        if child.sex is None:
            reason = f"by sex, and {child.display_name}'s sex is not recorded"
        else:
            reason = f"for {band.who}, not for {child.display_name}'s age"
        sentences[band.measure] = (f"{band.source.short} publish a range for the {band.measure}, but {reason}, so "
                                   "it is not used here.")
    return list(sentences.values())


def session_notes(child: Child, section: SessionSection) -> list[str]:
    """The plain-language summary of one session."""
    name = child.display_name
    session = section.session
    sentences = []
    motion = section.motion
    if motion is not None:
        seen = "a 3D skeleton" if motion.angles_from_3d else \
            "a skeleton seen in 2D only (its angles are as the camera sees them)"
        sentences.append(f"Filmed on {day_text(session.recorded_at.date())}. The video was analysed frame by frame "
                         f"({motion.frames} frames at {motion.fps:.0f} per second; {name} found in "
                         f"{'all of them' if motion.frames_with_child == motion.frames else motion.frames_with_child}"
                         f") into {seen}.")
    elif section.analysis_problem:
        sentences.append(section.analysis_problem)
    if section.drill_title is None:
        reason = f" ({session.drill_note})" if session.drill_note else ""
        chosen = "No drill was chosen" if session.drill is None else "The drill found no movement to score"
        sentences.append(f"{chosen} in this session{reason}. The joint angles and the smoothness trace are shown "
                         "alone.")
        return sentences
    drill = session.drill_result["drill"]
    rows = {row.name: row for row in section.metrics}
    key_metrics = KEY_METRICS.get(drill, {})
    for name_of_metric, how in key_metrics.items():
        row = rows.get(name_of_metric)
        if row is not None and row.value is not None:
            sentences.append(band_sentence(row, how) if row.band is not None else metric_sentence(row, how))
    sentences.extend(band_sentence(row) for row in section.metrics
                     if row.band is not None and row.name not in key_metrics)
    less_items = [row for row in section.metrics
                  if row.name.startswith("less_") and row.unit == "yes/no" and row.value is not None]
    if less_items:
        errors = [row.label.removeprefix("LESS: ") for row in less_items if row.value is True]
        sentences.append(f"Landing Error Scoring System (LESS): {len(errors)} of the {len(less_items)} items scored "
                         "from this video show an error" + (f" ({'; '.join(errors)})" if errors else "") +
                         ". The full LESS has 17 items; the others need a second camera or a trained rater.")
    if not any(row.band is not None for row in section.metrics):
        sentences.extend(unfitting_band_sentences(child, drill, section.metrics))
        sentences.append(f"No published reference that fits {name}'s age and sex is built in for these measures: "
                         f"they are best compared with {name}'s own sessions over time.")
    missing = [row for row in section.metrics if row.value is None]
    if missing:
        # one reason once: a front view's six LESS items of flexion all "need a side view"
        by_reason: dict[str, list[str]] = {}
        for row in missing:
            by_reason.setdefault(row.note or "", []).append(row.label + (f" ({row.side})" if row.side else ""))
        sentences.append("Not measured in this video: " + "; ".join(
            ", ".join(labels) + (f" ({reason})" if reason else "") for reason, labels in by_reason.items()) + ".")
    return sentences


def trend_notes(child: Child, trends: list[Trend]) -> list[str]:
    """One sentence per trend: the first and the last value and whether the change exceeds the ±."""
    sentences = []
    for trend in trends:
        first, last = trend.points[0], trend.points[-1]
        change = last.value - first.value
        side = f" ({trend.side})" if trend.side and f"({trend.side}" not in trend.label else ""
        opening = (f"{trend.label}{side}: {quantity_text(first.value, first.uncertainty, trend.unit)} on "
                   f"{day_text(first.recorded_at.date())}, {quantity_text(last.value, last.uncertainty, trend.unit)} "
                   f"on {day_text(last.recorded_at.date())}")
        if first.uncertainty is None or last.uncertainty is None:
            sentences.append(f"{opening}; this measure has no stated ±, so small changes may be noise.")
            continue
        combined = math.hypot(first.uncertainty, last.uncertainty)
        if abs(change) <= combined:
            sentences.append(f"{opening}: the change is within the measurement's uncertainty "
                             f"(± {amount_text(combined, trend.unit, combined)}).")
        else:
            direction = "up" if change > 0 else "down"
            sentences.append(f"{opening}: {direction} by {amount_text(abs(change), trend.unit, combined)}, more "
                             f"than the measurement's uncertainty (± {amount_text(combined, trend.unit, combined)}).")
    if not trends:
        sentences.append(f"Trends need the same drill measured in two sessions or more; {child.display_name}'s "
                         "sessions in this report do not have that yet.")
    return sentences

