"""Compare: two sessions of a child, or two reps of one session, as one joint angle's curves on the same axes.

Each side of a comparison is a :class:`Span` of an analysis (a whole session, or the frames of one rep) with
the moments it can be aligned at (its drill's events and deepest point). Time zero is the span's start, or a
moment both spans have ("take-off", "deepest point" ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from stsp_app.core.analysis import VideoAnalysis
from stsp_app.drills.wording import event_words
from stsp_app.kinematics.motion_series import MotionSeries, motion_series

ALIGN_AT_START = "start"
DEEPEST_POINT = "deepest point"


@dataclass(frozen=True)
class Span:
    """Frames ``first_frame``..``last_frame`` of an analysed recording, named ``label`` in the legend;
    ``moments`` maps a moment's name to its video frame."""

    label: str
    series: MotionSeries
    first_frame: int
    last_frame: int
    moments: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Curve:
    label: str
    time_s: np.ndarray  # seconds from the alignment moment
    degrees: np.ndarray


def session_span(label: str, analysis: VideoAnalysis, drill_result: Mapping[str, Any] | None) -> Span:
    """A whole session; its moments are the first of each kind of event and the first rep's deepest point."""
    series = motion_series(analysis.frames)
    first, last = int(series.frame_indices[0]), int(series.frame_indices[-1])
    reps = drill_result.get("reps", []) if drill_result is not None else []
    return Span(label, series, first, last, _moments(drill_result, first, last, reps))


def rep_spans(analysis: VideoAnalysis, drill_result: Mapping[str, Any]) -> list[Span]:
    """One span per rep of a session's drill result, with the events inside the rep and its deepest point."""
    series = motion_series(analysis.frames)
    return [Span(label, series, int(rep["start_frame"]), int(rep["end_frame"]),
                 _moments(drill_result, int(rep["start_frame"]), int(rep["end_frame"]), [rep]))
            for label, rep in zip(rep_labels(drill_result), drill_result.get("reps", []))]


def rep_labels(drill_result: Mapping[str, Any]) -> list[str]:
    """How the reps of a result are named in the legend: "Rep 1 (0.73–2.91 s)"."""
    fps = float(drill_result.get("fps") or 30.0)
    return [f"Rep {number} ({rep['start_frame'] / fps:.2f}–{rep['end_frame'] / fps:.2f} s)"
            for number, rep in enumerate(drill_result.get("reps", []), start=1)]


def _moments(drill_result: Mapping[str, Any] | None, first: int, last: int, reps: list) -> dict[str, int]:
    """The first frame of each kind of event within first..last, and the first of ``reps``' deepest point."""
    if drill_result is None:
        return {}
    moments: dict[str, int] = {}
    for event in sorted(drill_result.get("events", []), key=lambda event: event["frame"]):
        if first <= int(event["frame"]) <= last:
            moments.setdefault(event_words(event["kind"], event.get("side")), int(event["frame"]))
    if reps:
        moments[DEEPEST_POINT] = int(reps[0]["deepest_frame"])
    return moments


def alignments(a: Span, b: Span) -> list[str]:
    """Where the two spans can be aligned: at their start, or at a moment both have (in ``a``'s time order)."""
    shared = [name for name, _ in sorted(a.moments.items(), key=lambda item: item[1]) if name in b.moments]
    return [ALIGN_AT_START, *shared]


def curve(span: Span, angle: str, alignment: str) -> Curve:
    """The span's ``angle`` (a name of ``ANGLE_NAMES``) over time, zero at ``alignment``."""
    series = span.series
    rows = (series.frame_indices >= span.first_frame) & (series.frame_indices <= span.last_frame)
    zero_frame = span.first_frame if alignment == ALIGN_AT_START else span.moments[alignment]
    zero_s = float(np.interp(zero_frame, series.frame_indices, series.time_s))
    return Curve(span.label, series.time_s[rows] - zero_s, series.angles.degrees[angle][rows])


def overlay(a: Span, b: Span, angle: str, alignment: str) -> list[Curve]:
    if alignment not in alignments(a, b):
        raise ValueError(f"{alignment!r} is not a moment of both {a.label} and {b.label}")
    return [curve(a, angle, alignment), curve(b, angle, alignment)]
