"""A child's sessions as the sessions list shows them: when, which drill, its key number, the coach's notes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from stsp_app.drills import DRILL_NAMES, get_drill
from stsp_app.drills.wording import metric_text
from stsp_app.records import Session

# The number that sums a session up, where it is not the drill's first metric (vertical jump: the number of
# jumps comes first, the height matters more).
KEY_METRICS: dict[str, str] = {"vertical-jump": "jump_height_cm"}


@dataclass(frozen=True)
class SessionRow:
    session_id: int
    date: str
    drill: str
    result: str
    notes: str


def drill_title(drill: str | None) -> str:
    return get_drill(drill).title if drill in DRILL_NAMES else "no drill"


def key_metric_text(drill: str | None, drill_result: Mapping[str, Any] | None, drill_note: str | None) -> str:
    """The session's key number in words ("Jump height (flight time): 42.2 ± 4.8 cm", "Squats found: 2"), or
    why there is none."""
    if drill_result is None:
        return drill_note or ""
    metrics = drill_result.get("metrics", {})
    chosen = metrics.get(KEY_METRICS.get(drill or "", ""))
    if chosen is None or chosen.get("value") is None:
        chosen = next((metric for metric in metrics.values() if metric.get("value") is not None), None)
    return metric_text(chosen) if chosen is not None else "nothing measured"


def session_when(session: Session) -> str:
    return session.recorded_at.strftime("%Y-%m-%d %H:%M")


def session_title(session: Session) -> str:
    """A session named for people: "2025-03-01 14:05, Squat"."""
    return f"{session_when(session)}, {drill_title(session.drill)}"


def session_rows(sessions: list[Session]) -> list[SessionRow]:
    """The rows of a child's sessions, newest first (the one just added on top)."""
    return [SessionRow(session.id, session_when(session), drill_title(session.drill),
                       key_metric_text(session.drill, session.drill_result, session.drill_note),
                       session.coach_notes)
            for session in sorted(sessions, key=lambda session: (session.recorded_at, session.id), reverse=True)]
