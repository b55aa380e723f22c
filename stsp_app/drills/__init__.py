"""Drill metrics from an analysed recording: jumps, landings, squats, running, throws, kicks.

Entry point: :func:`run_drill` (a drill's name and a :class:`Recording`) → :class:`DrillResult`.
``DRILL_NAMES`` is the one list of drills that the command line, the settings and the app read. Each drill
is one module here holding ``DRILL``, an object that follows :class:`stsp_app.drills.base.Drill`.
Definitions, formulas and sources of every metric: docs/metrics.md, "Drill metrics".
"""

from __future__ import annotations

import importlib

from stsp_app.drills.base import Drill, MovementNotFound, Recording
from stsp_app.drills.recording import recording_from_analysis
from stsp_app.drills.result import DrillResult, Event, Metric, Rep

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


def run_drill(name: str, recording: Recording) -> DrillResult:
    """Run drill ``name`` on ``recording``; raises :class:`MovementNotFound` when the movement is not there."""
    return get_drill(name).analyse(recording)
