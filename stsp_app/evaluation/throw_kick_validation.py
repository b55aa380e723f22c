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
of motion and the angles at the event, and the proximal-to-distal verdict; and how many attempts each trial
reads (it holds one).

Series: each Kinder-Gator subject's two trials made with the same effort (either leg or arm) joined into one
recording a few seconds apart, as a coach films "one with each foot": the attempts found in each trial and any
found beyond one a trial, by the reference and by the lifted drill.
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
    effort: str = ""  # Kinder-Gator: "as far as they can" or "" (the plain instruction)
    spans: tuple[tuple[int, int], ...] = ()  # a series: each trial's first and last frame in it


def swing_trials(shared_data_dir: Path) -> list[SwingTrial]:
    trials = []
    root = Path(shared_data_dir)
    for drill, pattern in KINDER_GATOR_PATTERNS.items():
        for path in sorted((root / "eval/kinder-gator").glob(pattern)):
            motion = load_motion(path)
            group = "Kinder-Gator children" if path.parent.name == "Children" else "Kinder-Gator adults"
            effort = "as far as they can" if "as-far-as-you-can" in path.stem else ""
            trials.append(SwingTrial(path.stem.split("-")[1], drill, group, motion.joints_mm.astype(np.float64),
                                     motion.fps, effort))
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
    trials = swing_trials(shared_data_dir)
    rows = [row for trial in trials for row in compare_trial(trial, lifter, rng)]
    series = [row for trial in series_trials(trials) for row in compare_series(trial, lifter, rng)]
    return _report(rows) + "\n" + _series_report(series)


# A series joins a subject's trials of a drill with this long a move from one trial's last pose to the next one's
# first (the child walking back to the mark and taking another ball), each trial starting where the last ended.
SERIES_MOVE_S = 3.0


def series_trials(trials: list[SwingTrial]) -> list[SwingTrial]:
    """Each Kinder-Gator subject's trials of a drill made with the same effort (the plain instruction, or "as far
    as you can"), one with either leg or arm, in their recorded order, joined into one recording
    (:func:`joined_motion`): a series of two attempts, as a coach films "one with each foot"."""
    by_subject: dict[tuple[str, str, str, str], list[SwingTrial]] = {}
    for trial in trials:
        if trial.group.startswith("Kinder-Gator"):
            key = (trial.drill, trial.group, trial.name.split("_")[0], trial.effort)
            by_subject.setdefault(key, []).append(trial)
    series = []
    for (drill, group, subject, effort), parts in sorted(by_subject.items()):
        joints, spans = joined_motion([resample(part.joints_world_mm, part.fps, FPS) for part in parts], FPS)
        series.append(SwingTrial(f"{subject} {effort or 'plain'}", drill, group, joints, FPS, effort, spans))
    return series


def joined_motion(parts: list[np.ndarray], fps: float) -> tuple[np.ndarray, tuple[tuple[int, int], ...]]:
    """(T, 17, 3) Y-up motions one after the other, each moved along the floor so that its pelvis starts where the
    last one's ended, with SERIES_MOVE_S of straight-line blend from the one's last pose to the next one's first;
    and each part's first and last frame in the whole."""
    joined, spans, length = [parts[0]], [(0, len(parts[0]) - 1)], len(parts[0])
    blend = np.linspace(0.0, 1.0, max(2, round(SERIES_MOVE_S * fps)))[1:-1, None, None]
    for part in parts[1:]:
        last = joined[-1][-1]
        offset = last[0] - part[0, 0]
        offset[1] = 0.0
        moved = part + offset
        joined += [last * (1.0 - blend) + moved[0] * blend, moved]
        length += len(blend)
        spans.append((length, length + len(part) - 1))
        length += len(part)
    return np.concatenate(joined), tuple(spans)


def compare_series(trial: SwingTrial, lifter: Lifter, rng: np.random.Generator) -> list[dict]:
    """One row per view and noise: the attempts' frames the reference and the lifted drill found."""
    stature = float(np.median(skeleton_stature_mm(trial.joints_world_mm)))
    rows = []
    for view, recordings in filmed_views(trial.joints_world_mm, FPS, lifter, stature, rng):
        reference = _attempts(drill_or_none(trial.drill, recordings["reference"]))
        for noise in ("clean", "epe"):
            rows.append({"trial": trial.name, "drill": trial.drill, "group": trial.group, "view": view,
                         "noise": noise, "spans": trial.spans, "reference": reference,
                         "measured": _attempts(drill_or_none(trial.drill, recordings[noise]))})
    return rows


def _attempts(result: DrillResult | None) -> list[int]:
    """The event frame of each attempt of a result (none where the drill found no movement)."""
    if result is None:
        return []
    return [event.frame for event in result.events if event.kind == EVENT[result.drill]]


def series_counts(spans: tuple[tuple[int, int], ...], frames: list[int]) -> tuple[int, int]:
    """(the trials with an attempt found inside them, the attempts beyond one a trial or outside every trial)."""
    inside = [sum(start <= frame <= end for frame in frames) for start, end in spans]
    return sum(count > 0 for count in inside), len(frames) - sum(count > 0 for count in inside)


def _series_report(rows: list[dict]) -> str:
    lines = ["**Series**: each Kinder-Gator subject's two trials of a drill made with the same effort (plain, or as "
             f"far as they can; one with either leg or arm) joined into one recording, {SERIES_MOVE_S:g} s apart; "
             "'found': trials with an attempt found inside them, 'extra': attempts beyond one a trial or between "
             "trials; the reference is the drill on the mocap's own 3D.", "",
             "| drill | subset | recordings | attempts held | found: reference / lifted | extra: reference / lifted |",
             "| --- | --- | --- | --- | --- | --- |"]
    for drill in ("kick", "throw"):
        for group in sorted({row["group"] for row in rows if row["drill"] == drill}):
            for noise in ("clean", "epe"):
                subset = [row for row in rows if row["drill"] == drill and row["group"] == group
                          and row["noise"] == noise]
                reference = np.sum([series_counts(row["spans"], row["reference"]) for row in subset], axis=0)
                lifted = np.sum([series_counts(row["spans"], row["measured"]) for row in subset], axis=0)
                held = sum(len(row["spans"]) for row in subset)
                lines.append(f"| {drill} | {group}, {noise} | {len(subset)} | {held} | {reference[0]} / {lifted[0]} | "
                             f"{reference[1]} / {lifted[1]} |")
    return "\n".join(lines) + "\n"


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
