"""``stsp-coach eval-drills --part landing-items``: the drop-jump's landing angles and LESS items by camera view.

Each landing the drop-jump drill scores on mocap jumps filmed by the phone cameras of
:mod:`stsp_app.evaluation.filmed_mocap` (front, 45°, side; clean and EPE-like 2D, lifted by the shipped Lifter) is
compared with the mocap's own angles on the same frames (the same angle code, so the event's timing is not part of
the comparison): knee flexion at initial contact, its peak within the drill's landing window, the displacement
between them, trunk lean at contact, and whether each sagittal LESS item the drill scored says what the true
angles say. The LESS films the sagittal items from the side, and the drill scores them from a side view only
(docs/metrics.md, "drop-jump"); the counts say how many landings each view scored.

The FPPA, which the drill reads from a front view only, is compared the same way at each landing's peak knee
flexion: from each camera's exact projection of the mocap against the same pose seen square-on (orthographic,
along the trunk's horizontal forward), which is what "frontal-plane projection" means.

Trials: mocap/train's CMU jumps and jump-downs (01_01, 01_07, 01_09-11, 01_13-14, 02_04: the design set) and the
Kinder-Gator children's and adults' "Jump" and "Jump as high as you can" (held out).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from stsp_app.core.skeleton import trunk_forward
from stsp_app.drills import MovementNotFound, Recording, drop_jump, run_drill
from stsp_app.evaluation.filmed_mocap import CAMERA_VIEWS_DEG, filmed_recording, ground_truth_recording, phone_camera
from stsp_app.kinematics.frontal_plane import knee_fppa_deg
from stsp_app.lifting.anthropometry import stature_mm as skeleton_stature_mm
from stsp_app.lifting.dataset import resample
from stsp_app.lifting.lifter import Lifter
from stsp_app.mocap.loading import load_motion

FPS = 30.0
CMU_TRIALS = ("01/01_01", "01/01_07", "01/01_09", "01/01_10", "01/01_11", "01/01_13", "01/01_14", "02/02_04")
KINDER_GATOR_PATTERN = "*/POSE-*-Jump-*.csv"
SIDES = ("left", "right")
# How each sagittal LESS item (drop_jump.SAGITTAL_ITEMS) is read from the true angles on the drill's frames, as the
# drill defines it: True where the error is present.
TRUE_ITEM_READERS = {
    "less_knee_flexion_at_contact":
        lambda truth: min(truth["knee_contact"]) < drop_jump.LESS_KNEE_FLEXION_AT_CONTACT_DEG,
    "less_hip_not_flexed_at_contact": lambda truth: min(truth["hip_contact"]) < drop_jump.HIP_FLEXED_MIN_DEG,
    "less_trunk_not_flexed_at_contact": lambda truth: truth["trunk_contact"] < drop_jump.TRUNK_FLEXED_MIN_DEG,
    "less_small_knee_flexion_displacement":
        lambda truth: min(truth["knee_displacement"]) < drop_jump.LESS_KNEE_FLEXION_DISPLACEMENT_DEG,
    "less_hip_not_flexing_further":
        lambda truth: np.mean(truth["hip_deepest"]) <= np.mean(truth["hip_contact"]),
    "less_trunk_not_flexing_further": lambda truth: truth["trunk_deepest"] <= truth["trunk_contact"],
}


def compare_landings(recording: Recording, true_angles_deg: dict[str, np.ndarray]) -> list[dict]:
    """Per landing the drop-jump drill scores on ``recording``: its figures and the same figures from
    ``true_angles_deg`` (the mocap's angle series, the recording's rows) on the frames the drill chose."""
    try:
        result = run_drill("drop-jump", recording)
    except MovementNotFound:
        return []
    contacts = [event.frame for event in result.events if event.kind == "initial_contact"]
    rebounds = [event.frame for event in result.events if event.kind == "rebound_takeoff"]
    window = int(round(drop_jump.LANDING_WINDOW_S * recording.fps))
    rows = []
    for rep, contact in zip(result.reps, contacts):
        end = min(len(recording.motion), contact + window + 1)
        end = min([end] + [frame for frame in rebounds if frame > contact])
        deepest = rep.deepest_frame
        row: dict = {"contact_frame": contact}
        truth: dict = {"knee_contact": [], "knee_displacement": [], "hip_contact": [], "hip_deepest": [],
                       "trunk_contact": float(true_angles_deg["trunk_lean"][contact]),
                       "trunk_deepest": float(true_angles_deg["trunk_lean"][deepest])}
        for side in SIDES:
            truth["hip_contact"].append(float(true_angles_deg[f"{side}_hip_flexion"][contact]))
            truth["hip_deepest"].append(float(true_angles_deg[f"{side}_hip_flexion"][deepest]))
            if f"{side}_knee_flexion_at_contact_deg" not in rep.metrics:
                continue
            knee = true_angles_deg[f"{side}_knee_flexion"]
            row[f"{side}_contact"] = rep.metrics[f"{side}_knee_flexion_at_contact_deg"].value
            row[f"{side}_peak"] = rep.metrics[f"{side}_peak_knee_flexion_deg"].value
            row[f"{side}_contact_true"] = float(knee[contact])
            row[f"{side}_peak_true"] = float(np.nanmax(knee[contact:end]))
            truth["knee_contact"].append(row[f"{side}_contact_true"])
            truth["knee_displacement"].append(row[f"{side}_peak_true"] - row[f"{side}_contact_true"])
        row["trunk"] = float(recording.motion.angles.degrees["trunk_lean"][contact])
        row["trunk_true"] = truth["trunk_contact"]
        for item, read in TRUE_ITEM_READERS.items():
            row[item] = rep.metrics[item].value
            row[f"{item}_true"] = bool(read(truth)) if truth["knee_contact"] else None
        rows.append(row)
    return rows


# The FPPA's comparison by the knee's bend at its peak: under this, and this or more.
DEEP_KNEE_DEG = 60.0


def square_on_kp2d(joints_world_mm: np.ndarray) -> np.ndarray:
    """(T, 17, 3) image keypoints of (T, 17, 3) world joints (Y up) seen square-on: orthographic along each frame's
    horizontal trunk forward (``core.skeleton.trunk_forward`` with its vertical part taken out), y down."""
    forward = trunk_forward(joints_world_mm)
    forward[:, 1] = 0.0
    forward /= np.linalg.norm(forward, axis=1, keepdims=True)
    right = np.cross(np.array([0.0, 1.0, 0.0]), forward)
    x = np.einsum("tjk,tk->tj", joints_world_mm, right)
    return np.stack([x, -joints_world_mm[..., 1], np.ones_like(x)], axis=-1)


def fppa_rows(joints_world_mm: np.ndarray, recording: Recording) -> list[dict]:
    """Per landing the drop-jump scores on ``recording`` (the mocap's own, ``ground_truth_recording``) and per leg:
    the FPPA in the recording's picture and square-on at the leg's peak knee flexion, and that flexion."""
    try:
        result = run_drill("drop-jump", recording)
    except MovementNotFound:
        return []
    in_picture = knee_fppa_deg(recording.motion.kp2d)
    square_on = knee_fppa_deg(square_on_kp2d(joints_world_mm))
    flexion = recording.motion.angles.degrees
    return [{"side": event.side, "camera": float(in_picture[event.side][event.frame]),
             "square_on": float(square_on[event.side][event.frame]),
             "knee": float(flexion[f"{event.side}_knee_flexion"][event.frame])}
            for event in result.events if event.kind == "peak_knee_flexion"]


def _trial_rows(path: Path, group: str, lifter: Lifter, rng: np.random.Generator) -> list[dict]:
    motion = load_motion(path)
    joints = resample(motion.joints_mm.astype(np.float64), motion.fps, FPS)
    toes = None if motion.toes_mm is None else resample(motion.toes_mm.astype(np.float64), motion.fps, FPS)
    stature = float(np.median(skeleton_stature_mm(joints)))
    rows = []
    for view, view_deg in CAMERA_VIEWS_DEG.items():
        camera = phone_camera(joints, view_deg)
        reference = ground_truth_recording(joints, FPS, camera, stature)
        truth = reference.motion.angles.degrees
        rows += [{"trial": path.stem, "group": group, "view": view, "noise": "fppa", **row}
                 for row in fppa_rows(joints, reference)]
        for noise, noise_rng in (("clean", None), ("epe", rng)):
            recording = filmed_recording(joints, FPS, camera, lifter, stature, noise_rng, toes)
            rows += [{"trial": path.stem, "group": group, "view": view, "noise": noise, **row}
                     for row in compare_landings(recording, truth)]
    return rows


def validate(shared_data_dir: Path) -> str:
    shared_data_dir = Path(shared_data_dir)
    lifter, rng = Lifter(), np.random.default_rng(32)
    rows = []
    for trial in CMU_TRIALS:
        rows += _trial_rows(shared_data_dir / "mocap/train/cmu-asfamc" / f"{trial}.amc", "CMU (train)", lifter, rng)
    for path in sorted((shared_data_dir / "eval/kinder-gator").glob(KINDER_GATOR_PATTERN)):
        rows += _trial_rows(path, "Kinder-Gator (held out)", lifter, rng)
    return report(rows)


def _error(pairs: list[tuple[float, float]]) -> str:
    if not pairs:
        return "—"
    errors = np.array([value - truth for value, truth in pairs])
    return f"{np.mean(np.abs(errors)):.1f} ({np.mean(errors):+.1f})"


def summary_row(label: str, rows: list[dict]) -> str:
    """One table row: landings, MAE (bias) of the four angles, the items scored and agreeing."""
    pairs = lambda key: [(row[f"{side}_{key}"], row[f"{side}_{key}_true"]) for row in rows for side in SIDES
                         if f"{side}_{key}" in row]
    displacement = [(row[f"{side}_peak"] - row[f"{side}_contact"],
                     row[f"{side}_peak_true"] - row[f"{side}_contact_true"])
                    for row in rows for side in SIDES if f"{side}_peak" in row]
    cells = []
    for item in TRUE_ITEM_READERS:
        scored = [row for row in rows if row[item] is not None and row[f"{item}_true"] is not None]
        cells.append(f"{sum(row[item] == row[f'{item}_true'] for row in scored)} / {len(scored)}")
    true_contact = [truth for _, truth in pairs("contact")]
    return (f"| {label} | {len(rows)} | {np.mean(true_contact):.0f} | {_error(pairs('contact'))} | "
            f"{_error(pairs('peak'))} | {_error(displacement)} | "
            f"{_error([(row['trunk'], row['trunk_true']) for row in rows])} | {' | '.join(cells)} |"
            if rows else f"| {label} | 0 |" + " |" * 11)


def report(rows: list[dict]) -> str:
    lines = [
        "Drop-jump landings on mocap jumps filmed by phone cameras (front, 45°, side; clean and EPE-like 2D, lifted), "
        "against the mocap's own angles on the frames the drill chose. MAE (bias), degrees; LESS items: landings "
        "where the drill scored the item and it agrees with the item read from the true angles / landings it "
        "scored it on (sagittal items: side views only).",
        "",
        "| subset | landings | true knee at contact, mean ° | knee at contact | peak knee | knee displacement | "
        "trunk at contact | knee flexion < 30° | hip not flexed | trunk not flexed | displacement < 45° | "
        "hip no further | trunk no further |",
        "| --- | ---: | ---: | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for group in dict.fromkeys(row["group"] for row in rows):
        for view in CAMERA_VIEWS_DEG:
            for noise in ("clean", "epe"):
                lines.append(summary_row(f"{group}, {view}, {noise}", [
                    row for row in rows if row["group"] == group and row["view"] == view and row["noise"] == noise]))
    lines += ["", "The FPPA at each leg's peak knee flexion, from each camera's exact projection of the mocap against "
              "the pose seen square-on: MAE °, legs (knee bent under / at least "
              f"{DEEP_KNEE_DEG:g}° at the peak).", "",
              "| subset | front | 45° | side |", "| --- | --- | --- | --- |"]
    for group in dict.fromkeys(row["group"] for row in rows):
        cells = [fppa_cell([row for row in rows if row["group"] == group and row["view"] == view
                            and row["noise"] == "fppa"]) for view in CAMERA_VIEWS_DEG]
        lines.append(f"| {group} | {' | '.join(cells)} |")
    return "\n".join(lines)


def fppa_cell(rows: list[dict]) -> str:
    """MAE (legs) of the in-picture FPPA against square-on, all legs and by the knee's bend."""
    def mae(selected: list[dict]) -> str:
        errors = [abs(row["camera"] - row["square_on"]) for row in selected
                  if np.isfinite(row["camera"]) and np.isfinite(row["square_on"])]
        return f"{np.mean(errors):.1f} ({len(errors)})" if errors else "—"
    return (f"{mae(rows)}; {mae([row for row in rows if row['knee'] < DEEP_KNEE_DEG])} / "
            f"{mae([row for row in rows if row['knee'] >= DEEP_KNEE_DEG])}")
