"""What the records hold: a child's profile and their sessions, as frozen values.

The store hands these out and takes edited copies back (``dataclasses.replace(child, height_cm=152.0)`` →
:meth:`RecordStore.update_child`). Units are in the names; times are timezone-aware local times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from stsp_app.core.analysis import VideoAnalysis
from stsp_app.errors import InputError

SEXES: tuple[str, ...] = ("F", "M")
SIDES: tuple[str, ...] = ("left", "right")


@dataclass(frozen=True)
class Consent:
    """Consent to film the child and keep their records: when, and given by whom (a parent, the child...)."""

    date: date
    given_by: str

    def text(self) -> str:
        return f"{self.date.isoformat()}, given by {self.given_by}"


def recorded_text(value: object, unit: str = "") -> str:
    """A profile field as a person reads it: "152 cm", "right", or "not recorded"."""
    if value is None:
        return "not recorded"
    return f"{value:g} {unit}".strip() if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Child:
    """A child's profile. ``display_name`` may be a pseudonym; it is unique regardless of case."""

    id: int
    display_name: str
    birth_year: int | None
    sex: str | None              # "F", "M" or None (not recorded)
    height_cm: float | None
    body_mass_kg: float | None
    dominant_side: str | None    # "left", "right" or None
    notes: str
    consent: Consent | None
    created_at: datetime
    updated_at: datetime

    @property
    def stature_mm(self) -> float | None:
        """The height as the 3D stage takes it (metric scale), None when not recorded."""
        return None if self.height_cm is None else 10.0 * self.height_cm

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "display_name": self.display_name,
            "birth_year": self.birth_year,
            "sex": self.sex,
            "height_cm": self.height_cm,
            "body_mass_kg": self.body_mass_kg,
            "dominant_side": self.dominant_side,
            "notes": self.notes,
            "consent": None if self.consent is None else {
                "date": self.consent.date.isoformat(), "given_by": self.consent.given_by},
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class Session:
    """One filmed session of one child: the video, its analysis, the drill's result and the coach's notes.

    ``drill_result`` is ``DrillResult.to_json_dict()`` (docs/formats.md, "Drill results"); None when no
    drill was chosen or the drill did not find its movement, in which case ``drill_note`` says why.
    ``stature_mm`` is the height the 3D stage was given (None: it used learnt proportions).
    ``analysis_path`` is the session's keypoints.json (absolute), None for a session without analysis.
    """

    id: int
    child_id: int
    recorded_at: datetime
    drill: str | None
    video_path: str | None
    video_sha256: str | None
    analysis_path: Path | None
    analysis_key: str | None
    stature_mm: float | None
    drill_result: dict[str, Any] | None = field(hash=False)
    drill_note: str | None
    coach_notes: str
    created_at: datetime
    updated_at: datetime

    def load_analysis(self) -> VideoAnalysis:
        if self.analysis_path is None:
            raise InputError(f"session {self.id} has no analysis")
        return VideoAnalysis.load_json(self.analysis_path)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "child_id": self.child_id,
            "recorded_at": self.recorded_at.isoformat(),
            "drill": self.drill,
            "video_path": self.video_path,
            "video_sha256": self.video_sha256,
            "analysis_path": None if self.analysis_path is None else str(self.analysis_path),
            "stature_mm": self.stature_mm,
            "drill_result": self.drill_result,
            "drill_note": self.drill_note,
            "coach_notes": self.coach_notes,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }
