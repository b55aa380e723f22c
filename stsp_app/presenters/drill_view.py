"""A drill's result as the drill panel and the timeline show it: metrics in words (± and units, per rep too),
the moments to mark (events and each rep's deepest point), the notes, or the sentence saying the movement was
not found. Also runs a drill on an analysis that is already on screen (Analysis → Run drill)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from stsp_app.core.analysis import VideoAnalysis
from stsp_app.drills import get_drill, recording_from_analysis, run_drill
from stsp_app.drills.moments import Moment, moments_of
from stsp_app.drills.wording import metric_text
from stsp_app.errors import InputError


@dataclass(frozen=True)
class RepView:
    title: str
    metric_lines: list[str]


@dataclass(frozen=True)
class DrillView:
    """What the drill panel shows. ``found`` is False when the drill did not find its movement; ``summary``
    then says so in a sentence."""

    drill: str
    title: str
    summary: str
    found: bool
    metric_lines: list[str] = field(default_factory=list)
    reps: list[RepView] = field(default_factory=list)
    moments: list[Moment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def drill_view(drill: str, drill_result: Mapping[str, Any] | None, drill_note: str | None,
               kept_as_session: bool = False) -> DrillView:
    """The view of a drill's result (its JSON form), or of its absence (``drill_note`` says why).
    ``kept_as_session``: the result belongs to a stored session (the sentence then says the session is kept)."""
    title = get_drill(drill).title
    if drill_result is None:
        reason = (drill_note or f"no {get_drill(drill).movement} found").rstrip(".")
        kept = " The session is kept with its analysis." if kept_as_session else ""
        return DrillView(drill, title, f"{reason[:1].upper()}{reason[1:]}.{kept} Try another drill "
                                       "(Analysis → Run drill) or another video.", found=False)
    fps = float(drill_result.get("fps") or 30.0)
    reps = [RepView(f"Rep {number}: {rep['start_frame'] / fps:.2f}–{rep['end_frame'] / fps:.2f} s",
                    [metric_text(metric) for metric in rep["metrics"].values()])
            for number, rep in enumerate(drill_result.get("reps", []), start=1)]
    count = len(reps)
    summary = f"{count} rep{'s' if count != 1 else ''} found." if count > 1 else ""
    return DrillView(drill, title, summary, found=True,
                     metric_lines=[metric_text(metric) for metric in drill_result.get("metrics", {}).values()],
                     reps=reps, moments=moments_of(drill_result), notes=list(drill_result.get("notes", [])))


def run_drill_on(analysis: VideoAnalysis, drill: str, stature_mm: float | None) -> tuple[dict | None, str | None]:
    """Run ``drill`` on an analysis: (the result's JSON form, None), or (None, why nothing was found)."""
    try:
        return run_drill(drill, recording_from_analysis(analysis, stature_mm)).to_json_dict(), None
    except InputError as not_found:  # MovementNotFound, or nobody in the whole analysis
        return None, str(not_found)
