"""What a drill measures: metrics with units and uncertainties, events on the timeline, repetitions.

The JSON form (``DrillResult.to_json_dict``) is the one ``stsp-coach drill --json`` prints and the records and
the report store; its schema is in docs/formats.md ("Drill results").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

SIDES = ("left", "right")


@dataclass(frozen=True)
class Metric:
    """One number a coach reads. ``value`` is a float, an int (counts), a bool (yes/no items) or None where the
    drill could not score it (``note`` says why). ``uncertainty`` is ± in the same unit, where it is known;
    ``side`` is the child's own side for per-side metrics; ``label`` is the plain-language name."""

    value: float | int | bool | None
    unit: str
    label: str
    uncertainty: float | None = None
    side: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if self.side is not None and self.side not in SIDES:
            raise ValueError(f"side must be one of {SIDES}, got {self.side!r}")

    def to_json_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": _json_number(self.value), "unit": self.unit, "label": self.label}
        if self.uncertainty is not None:
            out["uncertainty"] = _json_number(self.uncertainty)
        if self.side is not None:
            out["side"] = self.side
        if self.note is not None:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Event:
    """A moment of the movement (``takeoff``, ``landing``, ``foot_strike`` …) at a video frame."""

    kind: str
    frame: int
    time_s: float
    side: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "frame": int(self.frame), "time_s": round(float(self.time_s), 4)}
        if self.side is not None:
            out["side"] = self.side
        return out


@dataclass(frozen=True)
class Rep:
    """One repetition (a squat, a jump of a series): its first, deepest and last video frame, its metrics, and
    the deepest frame's time in the video (from the frame's own timestamp: a result read without its analysis
    still places the moment right)."""

    start_frame: int
    deepest_frame: int
    end_frame: int
    metrics: dict[str, Metric] = field(default_factory=dict)
    deepest_time_s: float | None = None

    def to_json_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "start_frame": int(self.start_frame),
            "deepest_frame": int(self.deepest_frame),
            "end_frame": int(self.end_frame),
            "metrics": {name: metric.to_json_dict() for name, metric in self.metrics.items()},
        }
        if self.deepest_time_s is not None:
            out["deepest_time_s"] = round(float(self.deepest_time_s), 4)
        return out


@dataclass
class DrillResult:
    """Everything one drill found in one recording. ``notes`` are short plain-language sentences for the coach
    and the report (what was found, what could not be scored and why)."""

    drill: str
    fps: float
    frames: int
    metrics: dict[str, Metric] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    reps: list[Rep] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "drill": self.drill,
            "fps": round(float(self.fps), 4),
            "frames": int(self.frames),
            "metrics": {name: metric.to_json_dict() for name, metric in self.metrics.items()},
            "events": [event.to_json_dict() for event in sorted(self.events, key=lambda e: (e.frame, e.kind))],
            "reps": [rep.to_json_dict() for rep in self.reps],
            "notes": list(self.notes),
        }


def _json_number(value: float | int | bool | None) -> float | int | bool | None:
    """Round floats for the file (4 significant decimals are far below any metric's uncertainty); NaN → None."""
    if value is None or isinstance(value, (bool, int)):
        return value
    value = float(value)
    return None if not math.isfinite(value) else round(value, 4)
