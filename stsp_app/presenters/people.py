"""Who is in the video and who is followed: the people tracked, their boxes on every frame while paused, and the
analyses already made of each, so that going back to a person shows their analysis at once.

A person's identity across analyses is where they are first seen (frame and body box): another run of the
pipeline numbers people differently, but it sees the same person in the same place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stsp_app.core.analysis import TrackedPerson, VideoAnalysis

# Boxes are carried this long (seconds) from the nearest frame where the tracker saw the person: the detector
# looks for everyone only now and then, and a paused frame should show everyone there is to click.
BOX_HOLD_S = 1.0
# Two first places are the same person when they are this close in frames and their boxes overlap this much.
SAME_PLACE_FRAMES = 2
SAME_PLACE_OVERLAP = 0.5

Place = tuple[int, tuple[float, float, float, float]]


@dataclass(frozen=True)
class PersonEntry:
    place: Place      # where they are first seen: how any analysis finds them
    label: str        # "Person 2, from 3.1 s"
    followed: bool    # the analysis on screen follows them


def people_choices(analysis: VideoAnalysis, earlier: AnalysesByPerson | None = None) -> list[PersonEntry]:
    """Everyone the tracker saw in ``analysis``, in the order they appear, then the people ``earlier`` analyses
    of the video followed that this one did not see (choosing them shows that analysis again)."""
    followed = {frame.person_id for frame in analysis.frames if frame.person_id is not None}
    entries = [PersonEntry(place, f"Person {pid}, from {place[0] / analysis.fps:.1f} s", pid in followed)
               for pid, place in sorted(analysis.first_places().items(), key=lambda item: (item[1][0], item[0]))]
    for place in (earlier.places() if earlier is not None else []):
        if not any(same_place(place, entry.place) for entry in entries):
            entries.append(PersonEntry(place, f"Followed before, from {place[0] / analysis.fps:.1f} s", False))
    return entries


def followed_text(analysis: VideoAnalysis | None, others: bool) -> str:
    """Who the analysis follows, in words for the status bar, and how to follow someone else when there is
    anyone else (``others``)."""
    if analysis is None:
        return ""
    followed = sorted({frame.person_id for frame in analysis.frames if frame.person_id is not None})
    hint = ": click another person in the video, or choose them here, to follow them" if others else ""
    if not followed:
        return "Nobody followed" + hint
    return "Following person " + ", ".join(map(str, followed)) + hint


def people_shown(analysis: VideoAnalysis, row: int) -> list[TrackedPerson]:
    """The people to draw (and click) on analysed frame ``row``: those the tracker saw there, and everyone it saw
    within BOX_HOLD_S of it, at their nearest box."""
    frames = analysis.frames
    here = {person.person_id: person for person in frames[row].people}
    reach = max(1, int(round(BOX_HOLD_S * analysis.fps)))
    for distance in range(1, reach + 1):
        for near in (row - distance, row + distance):
            if 0 <= near < len(frames) and abs(frames[near].index - frames[row].index) <= reach:
                for person in frames[near].people:
                    if person.person_id not in here:
                        here[person.person_id] = TrackedPerson(person.person_id, person.box_xyxy_px)
    return list(here.values())


def same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return a is b
    if abs(a[0] - b[0]) > SAME_PLACE_FRAMES:
        return False
    return _overlap(np.asarray(a[1]), np.asarray(b[1])) >= SAME_PLACE_OVERLAP


def _overlap(box_a: np.ndarray, box_b: np.ndarray) -> float:
    """Intersection over union of two (x0, y0, x1, y1) boxes."""
    width = min(box_a[2], box_b[2]) - max(box_a[0], box_b[0])
    height = min(box_a[3], box_b[3]) - max(box_a[1], box_b[1])
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    return float(inter / (_area(box_a) + _area(box_b) - inter))


def _area(box: np.ndarray) -> float:
    return float((box[2] - box[0]) * (box[3] - box[1]))


class AnalysesByPerson:
    """The analyses of one video made so far, by the person they follow (their first place)."""

    def __init__(self) -> None:
        self._analyses: list[tuple[Place, VideoAnalysis]] = []

    def clear(self) -> None:
        self._analyses = []

    def remember(self, analysis: VideoAnalysis) -> None:
        """Keep a complete analysis under the place of the person it follows."""
        followed = next((frame.person_id for frame in analysis.frames if frame.person_id is not None), None)
        place = None if followed is None else analysis.first_place_of(followed)
        if place is not None and self.find(place) is None:
            self._analyses.append((place, analysis))

    def find(self, place: Place | None) -> VideoAnalysis | None:
        return next((analysis for known, analysis in self._analyses if same_place(known, place)), None)

    def places(self) -> list[Place]:
        return [place for place, _ in self._analyses]
