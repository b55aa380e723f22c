"""What a motion report says, as plain values: no PDF, no plots, so that it can be read and tested as it is.

:func:`build_report` gathers a child's profile and chosen sessions from the records: per session the drill's
metrics with their ± and any fitting reference band (:mod:`stsp_app.report.references`), the reps, the moments
(events), the key-frame pictures, the joint-angle curves and the jitter trace of the analysis
(:func:`stsp_app.kinematics.motion_series.motion_series`, the one angle code), and plain-language notes; then
one trend per metric measured in two sessions or more of the same drill. A session without a drill result
(no drill chosen, or its movement not found) holds the angles and the jitter alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Mapping

import numpy as np

from stsp_app import __version__
from stsp_app.core.analysis import VideoAnalysis
from stsp_app.drills import DRILL_NAMES, get_drill
from stsp_app.drills.moments import Moment, moments_of
from stsp_app.drills.uncertainty import FPPA_ERROR_DEG, angle_error_deg
from stsp_app.errors import InputError
from stsp_app.kinematics.frontal_plane import filmed_view, knee_fppa_deg
from stsp_app.kinematics.motion_series import MotionSeries, motion_series
from stsp_app.records import Child, RecordStore, Session
from stsp_app.report import notes
from stsp_app.report.key_frames import KeyFramePictures, key_frame_pictures
from stsp_app.report.references import ReferenceBand, fitting_band

SOFTWARE = f"STSP Coach {__version__}"
# Units whose values are not trends (a count of jumps, a yes/no item).
NOT_TRENDED_UNITS = ("count", "yes/no")

# The charts of a drill show its movement with this much before and after it (seconds), unless that is nearly
# the whole video.
WINDOW_PADDING_S = 1.0
WINDOW_MAX_SHARE = 0.8

# The angle panels of each drill's chart, top to bottom: (angle family, title). "knee_fppa" is the drop
# jump's knee valgus (FPPA, from the 2D keypoints); the others are the joint angles of docs/metrics.md.
ANGLE_PANELS: dict[str | None, tuple[tuple[str, str], ...]] = {
    "vertical-jump": (("knee_flexion", "Knee flexion"), ("hip_flexion", "Hip flexion"),
                      ("shoulder_elevation", "Shoulder elevation (arm swing)")),
    "drop-jump": (("knee_flexion", "Knee flexion"), ("knee_fppa", "Knee valgus, FPPA (valgus +)"),
                  ("trunk_lean", "Trunk lean")),
    "throw": (("elbow_flexion", "Elbow flexion"), ("shoulder_elevation", "Shoulder elevation"),
              ("trunk_lean", "Trunk lean")),
    None: (("knee_flexion", "Knee flexion"), ("hip_flexion", "Hip flexion"), ("trunk_lean", "Trunk lean")),
}


@dataclass(frozen=True)
class BandReading:
    """Where a value lies against a fitting reference band: ``position`` "below", "within" or "above";
    ``reaches_band`` when the value lies outside but its ± reaches into the band."""

    band: ReferenceBand
    position: str
    reaches_band: bool


@dataclass(frozen=True)
class MetricRow:
    """One metric as the report prints it (docs/formats.md, "Drill results", for the fields)."""

    name: str
    label: str
    value: float | int | bool | None
    unit: str
    uncertainty: float | None = None
    side: str | None = None
    note: str | None = None
    band: BandReading | None = None


@dataclass(frozen=True)
class AnglePanel:
    """One chart panel: an angle family's curves per side ("left", "right", or "both" for the trunk);
    ``from_image`` for an angle measured in the picture (the FPPA) rather than on the skeleton."""

    title: str
    curves_deg: dict[str, np.ndarray]
    uncertainty_deg: float
    from_image: bool = False


@dataclass(frozen=True)
class MotionTraces:
    """The analysis over time: angle panels and the temporal-smoothness (jitter) trace."""

    time_s: np.ndarray
    panels: list[AnglePanel]
    angles_from_3d: bool
    jitter: np.ndarray
    jitter_unit: str
    fps: float
    frames: int
    frames_with_child: int
    window_s: tuple[float, float] | None = None   # the stretch the charts show, None: the whole video

    @property
    def duration_s(self) -> float:
        return float(self.time_s[-1] - self.time_s[0]) if len(self.time_s) else 0.0


@dataclass(frozen=True)
class SessionSection:
    session: Session
    drill_title: str | None          # None: no drill result in this session
    metrics: list[MetricRow]
    reps: list[list[MetricRow]]      # per rep, its metrics (only when the drill found more than one rep)
    moments: list[Moment]
    drill_notes: list[str]
    key_frames: KeyFramePictures | None
    motion: MotionTraces | None
    analysis_problem: str | None     # why there are no curves (no analysis, file missing)
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.drill_title is not None:
            return self.drill_title
        if self.session.drill is not None:
            return f"{get_drill(self.session.drill).title}: not scored"
        return "Joint angles (no drill)"


@dataclass(frozen=True)
class TrendPoint:
    session_id: int
    recorded_at: datetime
    value: float
    uncertainty: float | None


@dataclass(frozen=True)
class Trend:
    """One metric of one drill over the sessions that measured it (two or more), oldest first; ``band`` is
    drawn when one band fits the child at every point."""

    drill: str
    metric_name: str
    label: str
    unit: str
    side: str | None
    points: list[TrendPoint]
    band: ReferenceBand | None


@dataclass(frozen=True)
class Report:
    child: Child
    generated_at: datetime
    software: str
    faces_blurred: bool
    sessions: list[SessionSection]
    trends: list[Trend]
    trend_notes: list[str]

    @property
    def bands_shown(self) -> list[ReferenceBand]:
        """The reference bands read against a value or drawn in a trend, in first-shown order."""
        shown = [row.band.band for section in self.sessions for row in section.metrics if row.band is not None]
        shown += [trend.band for trend in self.trends if trend.band is not None]
        return list(dict.fromkeys(shown))


def select_sessions(store: RecordStore, child_id: int, session_ids: list[int] | None = None) -> list[Session]:
    """The child's sessions to report, oldest first: all of them, or those named (each must be the child's)."""
    child = store.get_child(child_id)
    sessions = store.sessions_of(child_id)
    if not sessions:
        raise InputError(f"{child.display_name} has no sessions yet: add one with 'stsp-coach session add'")
    if session_ids is None:
        return sessions
    own = {session.id: session for session in sessions}
    for session_id in session_ids:
        if session_id not in own:
            listed = ", ".join(str(session.id) for session in sessions)
            raise InputError(f"session {session_id} is not one of {child.display_name}'s sessions "
                             f"(theirs: {listed})")
    return [session for session in sessions if session.id in set(session_ids)]


def build_report(store: RecordStore, child_id: int, session_ids: list[int] | None = None, *,
                 blur_faces: bool = True, generated_at: datetime | None = None) -> Report:
    """Everything the report says about a child, from the records (``session_ids``: all sessions if None)."""
    child = store.get_child(child_id)
    sessions = select_sessions(store, child_id, session_ids)
    sections = [session_section(child, session, blur_faces=blur_faces) for session in sessions]
    trends = session_trends(child, sections)
    return Report(child=child, generated_at=generated_at or datetime.now().astimezone(), software=SOFTWARE,
                  faces_blurred=blur_faces, sessions=sections, trends=trends,
                  trend_notes=notes.trend_notes(child, trends))


def session_section(child: Child, session: Session, *, blur_faces: bool = True) -> SessionSection:
    """One session's part of the report."""
    analysis, problem = _analysis_of(session)
    motion = None if analysis is None else motion_series(analysis.frames)
    result = session.drill_result
    on = session.recorded_at.date()
    if result is None:
        section = SessionSection(session, None, [], [], [], [], None,
                                 None if analysis is None else motion_traces(analysis, motion, None, []),
                                 problem)
    else:
        drill = result["drill"]
        moments = moments_of(result, None if motion is None else lambda frame: _time_of_frame(motion, frame))
        section = SessionSection(
            session=session,
            drill_title=get_drill(drill).title if drill in DRILL_NAMES else drill,
            metrics=[metric_row(drill, name, metric, child, on) for name, metric in result["metrics"].items()],
            reps=[[metric_row(drill, name, metric, child, on) for name, metric in rep["metrics"].items()]
                  for rep in result["reps"]] if len(result["reps"]) > 1 else [],
            moments=moments,
            drill_notes=list(result.get("notes", [])),
            key_frames=None if analysis is None else key_frame_pictures(
                result, analysis, session.video_path, session.video_sha256, blur_faces=blur_faces),
            motion=None if analysis is None else motion_traces(analysis, motion, drill, moments, result["reps"]),
            analysis_problem=problem,
        )
    return replace(section, notes=notes.session_notes(child, section))


def metric_row(drill: str, name: str, metric: Mapping[str, Any], child: Child, on: date) -> MetricRow:
    """A drill result's metric (its JSON form) as a row, with the band that fits the child, if any."""
    row = MetricRow(name=name, label=metric["label"], value=metric["value"], unit=metric["unit"],
                    uncertainty=metric.get("uncertainty"), side=metric.get("side"), note=metric.get("note"))
    band = fitting_band(drill, name, child.sex, child.birth_year, on)
    if band is None or not _is_number(row.value):
        return row
    return replace(row, band=read_against(band, float(row.value), row.uncertainty))


def read_against(band: ReferenceBand, value: float, uncertainty: float | None) -> BandReading:
    """Where ``value`` (± ``uncertainty``) lies against ``band``."""
    position = "below" if value < band.low else "above" if value > band.high else "within"
    margin = uncertainty or 0.0
    reaches = position != "within" and value + margin >= band.low and value - margin <= band.high
    return BandReading(band, position, reaches)


def _time_of_frame(motion: MotionSeries, frame: int) -> float | None:
    row = motion.row_of_frame(frame)
    return None if row is None else float(motion.time_s[row])


def motion_traces(analysis: VideoAnalysis, motion: MotionSeries, drill: str | None, moments: list[Moment],
                  reps: list[Mapping[str, Any]] = ()) -> MotionTraces:
    """The angle panels of this drill (or the general ones), the jitter trace, and the stretch of the video
    that holds the drill's movement (its moments and reps, padded)."""
    panels = []
    view = filmed_view(motion.kp2d)
    for family, title in ANGLE_PANELS.get(drill, ANGLE_PANELS[None]):
        if family == "knee_fppa":
            panels.append(AnglePanel(title, knee_fppa_deg(motion.kp2d), FPPA_ERROR_DEG, from_image=True))
        elif family == "trunk_lean":
            panels.append(AnglePanel(title, {"both": motion.angles.degrees["trunk_lean"]},
                                     angle_error_deg(family, view)))
        else:
            panels.append(AnglePanel(title, {side: motion.angles.degrees[f"{side}_{family}"]
                                             for side in ("left", "right")}, angle_error_deg(family, view)))
    traces = MotionTraces(time_s=motion.time_s, panels=panels, angles_from_3d=motion.has_3d, jitter=motion.jitter,
                          jitter_unit=motion.jitter_unit, fps=analysis.fps, frames=len(analysis.frames),
                          frames_with_child=analysis.frames_with_person)
    times = [moment.time_s for moment in moments]
    for rep in reps:
        rows = [motion.row_of_frame(int(rep[edge])) for edge in ("start_frame", "end_frame")]
        times += [float(motion.time_s[row]) for row in rows if row is not None]
    if not times or not len(motion.time_s):
        return traces
    start = max(float(motion.time_s[0]), min(times) - WINDOW_PADDING_S)
    end = min(float(motion.time_s[-1]), max(times) + WINDOW_PADDING_S)
    if end - start > WINDOW_MAX_SHARE * traces.duration_s:
        return traces
    return replace(traces, window_s=(start, end))


def session_trends(child: Child, sections: list[SessionSection]) -> list[Trend]:
    """One trend per (drill, metric) with a number in two sessions or more, in the order the drills' sections
    first list them."""
    series: dict[tuple[str, str], list[tuple[SessionSection, MetricRow]]] = {}
    for section in sections:
        if section.drill_title is None:
            continue
        drill = section.session.drill_result["drill"]
        for row in section.metrics:
            if _is_number(row.value) and row.unit not in NOT_TRENDED_UNITS:
                series.setdefault((drill, row.name), []).append((section, row))
    trends = []
    for (drill, name), measured in sorted(series.items(), key=lambda item: _pair_order(item[0], list(series))):
        if len(measured) < 2:
            continue
        bands = {fitting_band(drill, name, child.sex, child.birth_year, section.session.recorded_at.date())
                 for section, _ in measured}
        last = measured[-1][1]
        trends.append(Trend(
            drill=drill, metric_name=name, label=last.label, unit=last.unit, side=last.side,
            points=[TrendPoint(section.session.id, section.session.recorded_at, float(row.value), row.uncertainty)
                    for section, row in measured],
            band=bands.pop() if len(bands) == 1 else None))
    return trends


def _pair_order(key: tuple[str, str], keys: list[tuple[str, str]]) -> tuple[int, int]:
    """Sort key that puts a left metric and its right twin next to each other, in first-listed order."""
    drill, name = key
    base = name.removeprefix("left_").removeprefix("right_")
    first = next(index for index, (other_drill, other) in enumerate(keys)
                 if other_drill == drill and other.removeprefix("left_").removeprefix("right_") == base)
    return first, keys.index(key)


def _analysis_of(session: Session) -> tuple[VideoAnalysis | None, str | None]:
    """The session's analysis, or None and why it is not there."""
    if session.analysis_path is None:
        return None, "This session has no analysis, so there are no joint angles to show."
    if not session.analysis_path.is_file():
        return None, f"The session's analysis file {session.analysis_path} is missing."
    try:
        return session.load_analysis(), None
    except InputError as error:
        return None, f"The session's analysis cannot be read: {error}."


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
