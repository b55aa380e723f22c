"""What the ``child`` and ``session`` commands share: the records as a coach reads them, and the question
asked before deleting anything."""

from __future__ import annotations

import sys
from pathlib import Path

from stsp_app.drills.wording import metric_text
from stsp_app.errors import InputError
from stsp_app.records import Child, Session
from stsp_app.records.models import recorded_text


def confirmed(question: str, assume_yes: bool) -> bool:
    """``assume_yes`` (``--yes``), or the answer to ``question [y/N]`` on the terminal. Without a terminal to
    ask on, and without ``--yes``, nothing is deleted: scripts must say so."""
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        raise InputError(f"nothing was deleted: no terminal to ask \"{question}\" on; add --yes to confirm")
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def child_line(child: Child, session_count: int) -> str:
    """A child in one line of ``child list``."""
    facts = [f"born {child.birth_year}" if child.birth_year else "",
             child.sex or "",
             f"{child.height_cm:g} cm" if child.height_cm else "",
             f"{session_count} session{'s' if session_count != 1 else ''}"]
    return f"{child.display_name:24s} " + "  ".join(fact for fact in facts if fact)


def child_profile(child: Child) -> list[str]:
    """A child's profile, one fact a line (what was never recorded says so)."""
    consent = "not recorded" if child.consent is None else child.consent.text()
    lines = [f"{child.display_name} (id {child.id})",
             f"  birth year:     {recorded_text(child.birth_year)}",
             f"  sex:            {recorded_text(child.sex)}",
             f"  height:         {recorded_text(child.height_cm, 'cm')}",
             f"  body mass:      {recorded_text(child.body_mass_kg, 'kg')}",
             f"  dominant side:  {recorded_text(child.dominant_side)}",
             f"  consent:        {consent}"]
    if child.notes:
        lines.append(f"  notes:          {child.notes}")
    return lines


def session_line(session: Session) -> str:
    """A session in one line: id, when, drill, its first metric (or why there is none), the video's name."""
    when = session.recorded_at.strftime("%Y-%m-%d %H:%M")
    if session.drill_result is not None and session.drill_result["metrics"]:
        outcome = metric_text(next(iter(session.drill_result["metrics"].values())))
    else:
        outcome = session.drill_note or ""
    video = Path(session.video_path).name if session.video_path else ""
    return "  ".join(part for part in (f"#{session.id:<4d}", when, f"{session.drill or 'no drill':14s}", outcome,
                                       video) if part).rstrip()
