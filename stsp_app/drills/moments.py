"""The moments of a drill's result to mark on a timeline — its events and each rep's deepest point, in time
order — for the app's drill panel and charts and for the report's charts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from stsp_app.drills.wording import capitalised, moment_words


@dataclass(frozen=True)
class Moment:
    frame: int
    time_s: float
    kind: str  # an event's kind, or "deepest" for a rep's deepest point
    side: str | None = None
    rep: int | None = None  # the rep's number, where the result has several

    @property
    def label(self) -> str:
        """As the app says it: "left foot strike", "deepest point, rep 2"."""
        return moment_words(self.kind, self.side, self.rep)

    @property
    def title(self) -> str:
        """The label starting with a capital, for a chart's legend: "Left foot strike"."""
        return capitalised(self.label)


def moments_of(drill_result: Mapping[str, Any],
               time_of_frame: Callable[[int], float | None] | None = None) -> list[Moment]:
    """The events and each rep's deepest point of a result's JSON form, in time order. A rep's time comes from
    ``time_of_frame`` (the analysis's timeline; a rep whose frame it has no time for is left out), else from the
    rep's own ``deepest_time_s``, else (results saved before it was written) frame / the result's fps. A rep whose
    "deepest" frame an event already marks (a throw's release, a kick's ball contact) adds no moment of its own."""
    fps = float(drill_result.get("fps") or 30.0)
    moments = [Moment(int(event["frame"]), float(event["time_s"]), event["kind"], event.get("side"))
               for event in drill_result.get("events", [])]
    reps = drill_result.get("reps", [])
    for number, rep in enumerate(reps, start=1):
        frame = int(rep["deepest_frame"])
        if rep_event_kind(drill_result, rep) is not None:
            continue
        if time_of_frame is not None:
            time_s = time_of_frame(frame)
        else:
            time_s = rep.get("deepest_time_s", frame / fps)
        if time_s is not None:
            moments.append(Moment(frame, float(time_s), "deepest", rep=number if len(reps) > 1 else None))
    return sorted(moments, key=lambda moment: (moment.time_s, moment.frame, moment.label))


def rep_event_kind(drill_result: Mapping[str, Any], rep: Mapping[str, Any]) -> str | None:
    """The kind of the event that marks a rep's "deepest" frame (a throw's release, a kick's ball contact, a
    landing's deepest knee bend; the last one where several do), None where no event does: the one rule by which
    the timeline, the report's captions and the ``drill`` command name a rep's frame by its event."""
    frame = int(rep["deepest_frame"])
    kinds = [event["kind"] for event in drill_result.get("events", []) if int(event["frame"]) == frame]
    return kinds[-1] if kinds else None
