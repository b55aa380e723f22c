"""How a drill's result reads in words: a metric on one line, an event's name. The command line, the app and
the report show results through these, from the JSON form (``DrillResult.to_json_dict``)."""

from __future__ import annotations

from typing import Any, Mapping

# Event kinds as a coach says them; a kind not listed reads as its name with spaces.
EVENT_WORDS: dict[str, str] = {
    "takeoff": "take-off",
    "landing": "landing",
    "initial_contact": "initial contact",
    "rebound_takeoff": "rebound take-off",
    "rebound_landing": "rebound landing",
    "peak_knee_flexion": "deepest knee bend",
    "foot_strike": "foot strike",
    "toe_off": "toe-off",
    "release": "release",
    "ball_contact": "ball contact",
    "backswing_top": "top of the backswing",
    "deepest": "deepest point",  # of a rep (not an event of the result; a moment on the timeline)
}


def metric_text(metric: Mapping[str, Any]) -> str:
    """One metric of a result's JSON as one line: label, side, value ± uncertainty, unit, note."""
    value = metric["value"]
    if value is None:
        shown = "not measured"
    elif isinstance(value, bool):
        shown = "yes" if value else "no"
    elif isinstance(value, int):
        shown = str(value)
    else:
        shown = f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    uncertainty = f" ± {metric['uncertainty']:.2g}" if metric.get("uncertainty") is not None else ""
    shown_unit = metric["unit"] and metric["unit"] != "count"  # "Jumps found: 2", not "2 count"
    unit = f" {metric['unit']}" if shown_unit and value is not None and not isinstance(value, bool) else ""
    side = f" ({metric['side']})" if "side" in metric else ""
    note = f" [{metric['note']}]" if metric.get("note") else ""
    return f"{metric['label']}{side}: {shown}{uncertainty}{unit}{note}"


def event_words(kind: str, side: str | None = None) -> str:
    """An event as words: "take-off", "left foot strike"."""
    words = EVENT_WORDS.get(kind, kind.replace("_", " "))
    return f"{side} {words}" if side else words


def moment_words(kind: str, side: str | None = None, rep: int | None = None) -> str:
    """A moment on the timeline as words: an event, or a rep's deepest point ("deepest point, rep 2")."""
    words = event_words(kind, side)
    return words if rep is None else f"{words}, rep {rep}"


def capitalised(text: str) -> str:
    """The text with its first letter a capital, for a caption or a legend: "Left foot strike"."""
    return text[:1].upper() + text[1:]
