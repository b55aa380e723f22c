"""``stsp-coach eval-drills --part absent``: every drill on held-out motions with and without its movement.

The issue's rule for a recording without the drill's movement is one clear message, never an invented number.
The shared clips hold eight movements (docs/RESULTS.md, "Drills on clips without their movement"); this part
asks the same of the 58 motions the Kinder-Gator children and adults performed for a Kinect (waving, drawing
letters in the air, bowing, lunges, leg raises, walking and running in place, jumping jacks, jumps, throws,
kicks …), each filmed from the front, at 45 degrees and from the side, clean and with EPE-like 2D, and lifted
as in ``--part throw-kick``. The same drill on the mocap's own 3D (the reference recording) shows how much of a
reading the motion itself gives, Kinect jitter included, before the app's 2D and lifting add to it.

Which motions hold which drill's movement is fixed by their names (:func:`movements_of`); a few are open to
judgement (walking for the run drill, which reads gait with a note; a punch for the throw) and are counted
apart. Held-out data: reported, never used to choose a threshold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stsp_app.drills import DRILL_NAMES
from stsp_app.evaluation.filmed_mocap import FILMED_SOURCES, drill_or_none, filmed_views
from stsp_app.lifting.anthropometry import stature_mm as skeleton_stature_mm
from stsp_app.lifting.dataset import resample
from stsp_app.lifting.lifter import Lifter
from stsp_app.mocap.loading import load_motion

FPS = 30.0
GROUPS = {"Children": "Kinder-Gator children", "Adults": "Kinder-Gator adults"}
# The motions (file names' words) that hold each drill's movement, and those open to judgement.
HOLDS = {
    "vertical-jump": ("Jump", "Jump-as-high-as-you-can", "Do-two-jumping-jacks"),
    "drop-jump": ("Jump", "Jump-as-high-as-you-can", "Do-two-jumping-jacks"),
    "squat": (),
    "run": ("Run-in-place", "Run-in-place-as-fast-as-you-can"),
    "throw": ("Throw-a-ball-", "Throw-a-ball-as-far-as-you-can", "Throw-a-ball-with-your-other-arm",
              "Throw-a-ball-as-far-as-you-can-with-the-other-arm"),
    "kick": ("Kick-a-ball", "Kick-a-ball-as-far-as-you-can", "Kick-a-ball-with-the-other-leg",
             "Kick-a-ball-as-far-as-you-can-with-the-other-leg"),
}
OPEN = {"run": ("Walk-in-place", "Walk-in-place-as-fast-as-you-can"), "throw": ("Punch",)}
_NAME = re.compile(r"^POSE-p\d+_\d+-(?P<motion>.+)-\d+$")


def motion_name(path: Path) -> str:
    """The motion a Kinder-Gator file holds: ``POSE-p103_05-Bow-1455370188098.csv`` → ``Bow``."""
    match = _NAME.match(Path(path).stem)
    if match is None:
        raise ValueError(f"not a Kinder-Gator recording's name: {Path(path).name}")
    return match["motion"]


def movements_of(motion: str, drill: str) -> str:
    """``"holds"``, ``"open"`` or ``"without"``: whether ``motion`` holds ``drill``'s movement."""
    if motion in HOLDS[drill]:
        return "holds"
    return "open" if motion in OPEN.get(drill, ()) else "without"


@dataclass(frozen=True)
class Reading:
    motion: str
    group: str
    view: str
    source: str   # "reference" (the mocap's own 3D), "clean" or "epe" (filmed and lifted)
    drill: str
    found: bool   # the drill gave numbers


def trial_readings(path: Path, group: str, lifter: Lifter, rng: np.random.Generator) -> list[Reading]:
    """Every drill on one recording, per view: on the mocap's own 3D and filmed, lifted, clean and EPE-like."""
    motion = load_motion(path)
    name = motion_name(path)
    joints = resample(motion.joints_mm.astype(np.float64), motion.fps, FPS)
    stature = float(np.median(skeleton_stature_mm(motion.joints_mm)))
    return [Reading(name, group, view, source, drill, drill_or_none(drill, recording) is not None)
            for view, recordings in filmed_views(joints, FPS, lifter, stature, rng)
            for source, recording in recordings.items() for drill in DRILL_NAMES]


def validate(shared_data_dir: Path, every: int = 2) -> str:
    """Every motion of each group, with every ``every``-th of its participants' recordings."""
    lifter = Lifter()
    rng = np.random.default_rng(0)
    readings = []
    for folder, group in GROUPS.items():
        for path in sampled_recordings(Path(shared_data_dir) / "eval/kinder-gator" / folder, every):
            readings += trial_readings(path, group, lifter, rng)
    return report(readings)


def sampled_recordings(folder: Path, every: int) -> list[Path]:
    """Each motion's recordings in the folder (sorted by participant), every ``every``-th of them."""
    by_motion: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("POSE-*.csv")):
        by_motion.setdefault(motion_name(path), []).append(path)
    return [path for motion in sorted(by_motion) for path in by_motion[motion][::every]]


def report(readings: list[Reading]) -> str:
    lines = [
        "Every drill on the Kinder-Gator children's and adults' motions (Kinect), filmed from the front, at 45° "
        "and from the side: on the mocap's own 3D (reference), and filmed and lifted with clean and EPE-like 2D. "
        "Cells: readings that gave numbers / readings. 'without': motions without the drill's movement (the "
        "issue: one clear message, never a number); 'open': walking for the run drill, a punch for the throw; "
        "'holds': the drill's own movement (jumps and jumping jacks, running in place, throws, kicks).",
        "",
        "| drill | motions | " + " | ".join(FILMED_SOURCES) + " |",
        "| --- | --- | " + " | ".join("---:" for _ in FILMED_SOURCES) + " |",
    ]
    for drill in DRILL_NAMES:
        for kind in ("without", "open", "holds"):
            cells = []
            for source in FILMED_SOURCES:
                subset = [r for r in readings if r.drill == drill and r.source == source
                          and movements_of(r.motion, drill) == kind]
                cells.append(f"{sum(r.found for r in subset)} / {len(subset)}" if subset else "—")
            if any(cell != "—" for cell in cells):
                lines.append(f"| {drill} | {kind} | " + " | ".join(cells) + " |")
    lines += ["", "Motions without the movement that most often gave numbers (filmed, lifted, clean 2D):", ""]
    for drill in DRILL_NAMES:
        counts: dict[str, list[int]] = {}
        for r in readings:
            if r.drill == drill and r.source == "clean" and movements_of(r.motion, drill) == "without":
                counts.setdefault(r.motion, [0, 0])
                counts[r.motion][0] += r.found
                counts[r.motion][1] += 1
        worst = sorted(((found / total, motion, found, total) for motion, (found, total) in counts.items()
                        if found), reverse=True)[:6]
        listed = "; ".join(f"{motion} {found}/{total}" for _, motion, found, total in worst) or "none"
        lines.append(f"- {drill}: {listed}")
    return "\n".join(lines)
