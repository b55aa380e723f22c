"""``stsp-coach eval-drills --part throw-kick``: the throw and kick drills on held-out mocap filmed by virtual
phone cameras, against the same drill run on the mocap's own 3D.

Trials (all held out): the Kinder-Gator children's and adults' kicks ("Kick a ball", "… as far as you can",
each with either leg) and throws (the same four kinds with the arms), Kinect v1 at ~30 fps, and the CMU soccer
kicks of ``mocap/eval`` (marker mocap, 120 fps). Mocap records no ball, so the reference is the drill's own
definition applied to the ground truth: the recording built from the mocap's 3D in the camera's axes and its
exact 2D projection (:func:`~stsp_app.evaluation.filmed_mocap.ground_truth_recording`). What is measured is then
what the app adds to it: the 2D stage's noise and the 3D lifting.

Each trial is resampled to 30 fps, filmed from the front, at 45 degrees and from the side, clean and with
EPE-like 2D noise, lifted by the shipped Lifter with the subject's stature, and run through the drill. Compared:
the side found (kicking leg, throwing arm), the ball-contact or release frame, each peak velocity, the ranges
of motion and the angles at the event, and the proximal-to-distal verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stsp_app.drills import DrillResult
from stsp_app.evaluation.filmed_mocap import drill_or_none, filmed_views
from stsp_app.lifting.anthropometry import stature_mm as skeleton_stature_mm
from stsp_app.lifting.dataset import resample
from stsp_app.lifting.lifter import Lifter
from stsp_app.mocap.loading import load_motion

FPS = 30.0
KINDER_GATOR_PATTERNS = {"kick": "*/POSE-*-Kick-a-ball*.csv", "throw": "*/POSE-*-Throw-a-ball*.csv"}
CMU_KICKS = ("10_01.bvh", "10_03.bvh", "11_01.bvh")
EVENT = {"kick": "ball_contact", "throw": "release"}


@dataclass
class SwingTrial:
    name: str
    drill: str
    group: str
    joints_world_mm: np.ndarray  # (T, 17, 3) Y up
    fps: float


def swing_trials(shared_data_dir: Path) -> list[SwingTrial]:
    trials = []
    root = Path(shared_data_dir)
    for drill, pattern in KINDER_GATOR_PATTERNS.items():
        for path in sorted((root / "eval/kinder-gator").glob(pattern)):
            motion = load_motion(path)
            group = "Kinder-Gator children" if path.parent.name == "Children" else "Kinder-Gator adults"
            trials.append(SwingTrial(path.stem.split("-")[1], drill, group, motion.joints_mm.astype(np.float64),
                                     motion.fps))
    for name in CMU_KICKS:
        motion = load_motion(root / "mocap/eval/cmu-bvh" / name)
        trials.append(SwingTrial(f"CMU {Path(name).stem}", "kick", "CMU soccer kicks",
                                 motion.joints_mm.astype(np.float64), motion.fps))
    return trials


def _scored(result: DrillResult | None) -> dict | None:
    """The figures compared of a drill's result (None where it found no movement): the headline attempt's (the
    fastest hand or foot), and how many attempts were found (each trial holds one)."""
    if result is None:
        return None
    speed = COMPARED[result.drill][0][0]
    headline = max(result.reps, key=lambda rep: rep.metrics[speed].value)
    event = next(event for event in result.events
                 if event.kind == EVENT[result.drill] and event.frame == headline.deepest_frame)
    values = {name: metric.value for name, metric in result.metrics.items()}
    return {"side": event.side, "frame": event.frame, "attempts": len(result.reps), **values}


def compare_trial(trial: SwingTrial, lifter: Lifter, rng: np.random.Generator) -> list[dict]:
    """One row per view and noise: the reference's and the lifted drill's scores (None where not found)."""
    joints = resample(trial.joints_world_mm, trial.fps, FPS)
    stature = float(np.median(skeleton_stature_mm(trial.joints_world_mm)))
    rows = []
    for view, recordings in filmed_views(joints, FPS, lifter, stature, rng):
        reference = _scored(drill_or_none(trial.drill, recordings["reference"]))
        for noise in ("clean", "epe"):
            rows.append({"trial": trial.name, "drill": trial.drill, "group": trial.group, "view": view,
                         "noise": noise, "reference": reference,
                         "measured": _scored(drill_or_none(trial.drill, recordings[noise]))})
    return rows


def validate(shared_data_dir: Path) -> str:
    lifter = Lifter()
    rng = np.random.default_rng(0)
    rows = [row for trial in swing_trials(shared_data_dir) for row in compare_trial(trial, lifter, rng)]
    return _report(rows)


# The figures compared, per drill: (metric name, short label).
COMPARED = {
    "kick": [("peak_foot_speed_heights_s", "foot speed H/s"), ("peak_hip_flexion_deg_s", "hip flex vel"),
             ("peak_knee_extension_deg_s", "knee ext vel"), ("peak_pelvis_rotation_deg_s", "pelvis rot vel"),
             ("knee_flexion_backswing_deg", "knee backswing"), ("knee_flexion_at_contact_deg", "knee at contact"),
             ("hip_flexion_range_deg", "hip ROM"), ("knee_flexion_range_deg", "knee ROM")],
    "throw": [("peak_hand_speed_heights_s", "hand speed H/s"), ("peak_elbow_extension_deg_s", "elbow ext vel"),
              ("peak_trunk_rotation_deg_s", "trunk rot vel"), ("peak_pelvis_rotation_deg_s", "pelvis rot vel"),
              ("shoulder_elevation_at_release_deg", "shoulder at release"),
              ("elbow_flexion_at_release_deg", "elbow at release"), ("hip_shoulder_separation_deg", "hip-shoulder sep"),
              ("shoulder_elevation_range_deg", "shoulder ROM"), ("elbow_flexion_range_deg", "elbow ROM")],
}


def summary(rows: list[dict]) -> dict:
    """Shares found and agreeing, and per compared figure the mean absolute error and bias (measured −
    reference) over the rows where both found the movement on the same side."""
    with_reference = [row for row in rows if row["reference"] is not None]
    found = [row for row in with_reference if row["measured"] is not None]
    same_side = [row for row in found if row["measured"]["side"] == row["reference"]["side"]]
    frame_errors = np.array([row["measured"]["frame"] - row["reference"]["frame"] for row in same_side])
    order = [row["measured"].get("proximal_to_distal") == row["reference"].get("proximal_to_distal")
             for row in same_side]
    several = [row for row in rows if row["measured"] is not None and row["measured"]["attempts"] > 1]
    reference_several = [row for row in with_reference if row["reference"]["attempts"] > 1]
    out = {"trials": len(rows), "with_reference": len(with_reference), "found": len(found),
           "same_side": len(same_side), "several": len(several), "reference_several": len(reference_several),
           "event_within_1": float(np.mean(np.abs(frame_errors) <= 1)) if len(frame_errors) else float("nan"),
           "order_agrees": float(np.mean(order)) if order else float("nan"), "errors": {}}
    drills = {row["drill"] for row in rows}
    for drill in drills:
        for name, _ in COMPARED[drill]:
            pairs = [(row["measured"].get(name), row["reference"].get(name)) for row in same_side
                     if row["drill"] == drill]
            diffs = np.array([m - r for m, r in pairs if m is not None and r is not None])
            if len(diffs):
                out["errors"][name] = (float(np.mean(np.abs(diffs))), float(np.mean(diffs)), len(diffs))
    return out


def _report(rows: list[dict]) -> str:
    lines = [
        "Throw and kick drills on held-out mocap filmed by virtual phone cameras (front, 45°, side; 30 fps), "
        "clean and EPE-like 2D, lifted by the shipped Lifter with the subject's stature, against the same drill "
        "on the mocap's own 3D. 'same side': the kicking leg or throwing arm agrees; 'event ±1': ball contact or "
        "release within one frame of the reference's; 'order agrees': the proximal-to-distal verdict is the "
        "reference's; 'several (reference)': rows where more than one attempt was found, the reference's in "
        "brackets (each trial holds one throw or kick). Errors: mean absolute (bias), measured − reference, over the "
        "rows on the same side, for the headline attempt (the fastest).",
        "",
    ]
    for drill in ("kick", "throw"):
        compared = COMPARED[drill]
        lines += [f"**{drill}**", "",
                  "| subset | rows | reference found | found | same side | event ±1 | order agrees | "
                  "several (reference) | " + " | ".join(label for _, label in compared) + " |",
                  "| --- " * (8 + len(compared)) + "|"]
        groups = sorted({row["group"] for row in rows if row["drill"] == drill})
        subsets = {f"{group}, {noise}": [row for row in rows if row["drill"] == drill and row["group"] == group
                                         and row["noise"] == noise]
                   for group in groups for noise in ("clean", "epe")}
        subsets["all"] = [row for row in rows if row["drill"] == drill]
        for name, subset in subsets.items():
            s = summary(subset)
            cells = []
            for metric, _ in compared:
                if metric in s["errors"]:
                    mae, bias, _count = s["errors"][metric]
                    digits = 2 if metric.endswith("heights_s") else 0
                    cells.append(f"{mae:.{digits}f} ({bias:+.{digits}f})")
                else:
                    cells.append("—")
            lines.append(f"| {name} | {s['trials']} | {s['with_reference']} | {s['found']} | {s['same_side']} | "
                         f"{s['event_within_1']:.0%} | {s['order_agrees']:.0%} | {s['several']} "
                         f"({s['reference_several']}) | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)
