"""Drill metrics from an analysed recording: jumps, landings, squats, running, throws, kicks.

Entry point: :func:`run_drill` (a drill's name and a :class:`Recording`) → :class:`DrillResult`.
``DRILL_NAMES`` is the one list of drills that the command line, the settings and the app read. Each drill
is one module here holding ``DRILL``, an object that follows :class:`stsp_app.drills.base.Drill`.
Definitions, formulas and sources of every metric: docs/metrics.md, "Drill metrics".
"""

from __future__ import annotations

import importlib

from stsp_app.drills.base import SIDEWAYS_NOTE, Drill, MovementNotFound, Recording, lies_across_the_picture
from stsp_app.drills.recording import recording_from_analysis
from stsp_app.drills.result import DrillResult, Event, Metric, Rep
from stsp_app.drills.uncertainty import KNEE_VIEW_NOTE

__all__ = [
    "DRILL_NAMES", "Drill", "DrillResult", "Event", "Metric", "MovementNotFound", "Recording", "Rep",
    "get_drill", "recording_from_analysis", "run_drill",
]

# The drills, in the order menus list them; each name's module is the name with "_" for "-".
DRILL_NAMES: tuple[str, ...] = ("vertical-jump", "drop-jump", "squat", "run", "throw", "kick")


def get_drill(name: str) -> Drill:
    if name not in DRILL_NAMES:
        raise ValueError(f"unknown drill {name!r}; the drills are {', '.join(DRILL_NAMES)}")
    return importlib.import_module(f"stsp_app.drills.{name.replace('-', '_')}").DRILL


# Above this share of frames whose background the analysis could not follow, a result says so.
CAMERA_NOT_FOLLOWED_NOTE_SHARE = 0.1


def run_drill(name: str, recording: Recording) -> DrillResult:
    """Run drill ``name`` on ``recording``; raises :class:`MovementNotFound` when the movement is not there.
    The recording's own notes come first. A result with knee flexion metrics from a recording filmed from the
    front says how far to trust them, and one from a recording whose camera could often not be followed says
    that. A recording whose person lies across the picture (a video stored on its side) gives none: every drill
    reads the picture's rows as the ground's level (the real jump clip's 2D turned a quarter read two jumps of 14
    cm)."""
    drill = get_drill(name)
    if lies_across_the_picture(recording):
        raise MovementNotFound(f"no {drill.movement} found in the recording ({len(recording.motion)} frames): "
                               f"{SIDEWAYS_NOTE}")
    result = drill.analyse(recording)
    result.notes[:0] = recording.notes
    names = list(result.metrics) + [metric for rep in result.reps for metric in rep.metrics]
    if any("knee_flexion" in metric for metric in names) and recording.view == "front":
        result.notes.append(KNEE_VIEW_NOTE)
    if recording.camera_not_followed_share > CAMERA_NOT_FOLLOWED_NOTE_SHARE:
        result.notes.append(camera_note(recording.camera_not_followed_share))
    return result


def camera_note(share: float) -> str:
    return (f"On {100 * share:.0f} % of the frames the background could not be followed (a blank wall, or the "
            "child filling the picture): if the phone moved there, its motion is read as the child's. Film from a "
            "tripod, or with more of the room in view.")
