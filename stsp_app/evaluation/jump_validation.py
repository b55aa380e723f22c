"""``stsp-coach eval-drills --part jumps``: the vertical-jump drill on mocap jumps seen through virtual cameras.

Trials: the CMU subject 02 jump (02_04 "jump, balance", from ``mocap/train``: the lifter's training set, not
held out, and the trial the ankle contact band was checked on), and the Kinder-Gator children's "jump as high
as you can" trials (``eval/kinder-gator``, held out; Kinect v1, ~30 fps, noisy feet: Kinect's foot joint often
leaves the floor before the pelvis has risen to standing height, so its reference take-off is early and its
reference flight long). Subject 01's playground jumps (01_01) are forward jumps towards or across the camera,
not the drill's movement: travelling changes a foot's image height as much as rising does.

Ground truth, from the mocap itself at its own frame rate: each foot's height is its lowest tracked point
(CMU: ball of the foot and toe tip; Kinect: the foot joint) above that foot's floor (its 5th percentile over
the trial). A flight is a run of samples with both feet more than GT_CONTACT_MM above their floors, lasting
MIN_FLIGHT_S to GT_MAX_FLIGHT_S and rising GT_MIN_CLEARANCE_MM or more; take-off and landing are the interpolated
threshold crossings; the reference frame at the filmed rate is the first frame at or after each crossing
(the first airborne frame, the first frame back down: the drill's definition). Reference heights: g t² / 8
of the reference flight time, and the pelvis's rise from take-off to its highest point.

Each trial is resampled to 30 fps (and 60 fps), filmed by three phone-on-a-tripod cameras (front, oblique,
side; 1.1 m high, 4 m away, 26 mm-equivalent, portrait 1080x1920), clean and with EPE-like 2D noise, lifted
by the shipped Lifter with the subject's stature, and run through the drill. The toes (CMU: the toe tip;
Kinect: the foot joint) are filmed as BlazePose's foot_index landmarks, so the drill reads the feet as it reads
them on a video (the lowest foot landmark), not the 17-joint ankle fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stsp_app.drills import MovementNotFound
from stsp_app.drills.flight import MIN_FLIGHT_S, flight_time_height_cm
from stsp_app.drills.vertical_jump import DRILL
from stsp_app.evaluation.filmed_mocap import filmed_views
from stsp_app.lifting.anthropometry import stature_mm as skeleton_stature_mm
from stsp_app.lifting.dataset import resample
from stsp_app.lifting.lifter import Lifter
from stsp_app.mocap.asf_amc import load_amc_motion_and_bone_ends
from stsp_app.mocap.kinect_csv import load_kinect_csv

GT_CONTACT_MM = 30.0
GT_MIN_CLEARANCE_MM = 60.0
GT_MAX_FLIGHT_S = 1.0  # longer: a tracking fault (a 1 s flight is a 1.2 m jump)
CMU_TRIALS = ("02/02_04",)
KINDER_GATOR_PATTERN = "Children/POSE-*-Jump-as-high-as-you-can-*.csv"
FRAME_RATES = (30.0, 60.0)
TARGET_EVENT_SHARE = 0.9
TARGET_HEIGHT_CM = 3.0


@dataclass
class JumpTrial:
    name: str
    group: str
    joints_world_mm: np.ndarray  # (T, 17, 3) Y up
    foot_height_mm: np.ndarray  # (T, 2) left, right foot's lowest point above its floor
    fps: float
    toes_world_mm: np.ndarray | None = None  # (T, 2, 3) left, right toe tip (Kinect: foot joint), Y up


@dataclass
class ReferenceFlight:
    takeoff_s: float
    landing_s: float
    pelvis_rise_mm: float

    @property
    def flight_time_s(self) -> float:
        return self.landing_s - self.takeoff_s


def cmu_trial(shared_data_dir: Path, trial: str) -> JumpTrial:
    amc = shared_data_dir / "mocap/train/cmu-asfamc" / f"{trial}.amc"
    motion, ends = load_amc_motion_and_bone_ends(amc)
    feet = np.stack([np.minimum(ends[f"{side}foot"][:, 1], ends[f"{side}toes"][:, 1]) for side in "lr"], axis=1)
    return JumpTrial(f"CMU {amc.stem}", "CMU (train)", motion.joints_mm.astype(np.float64), _above_floor(feet),
                     motion.fps, motion.toes_mm.astype(np.float64))


def kinder_gator_trial(path: Path) -> JumpTrial:
    motion = load_kinect_csv(path)
    toes = motion.toes_mm.astype(np.float64)  # the Kinect's foot joints
    name = path.stem.split("-")[1]  # p106_22
    return JumpTrial(f"Kinder-Gator {name}", "Kinder-Gator children (held out)", motion.joints_mm.astype(np.float64),
                     _above_floor(toes[..., 1]), motion.fps, toes)


def _above_floor(feet_y_mm: np.ndarray) -> np.ndarray:
    return feet_y_mm - np.percentile(feet_y_mm, 5, axis=0)


def reference_flights(trial: JumpTrial) -> list[ReferenceFlight]:
    height = trial.foot_height_mm.min(axis=1)  # the lower foot
    airborne = height > GT_CONTACT_MM
    edges = np.flatnonzero(np.diff(airborne.astype(int)))
    flights = []
    pelvis = trial.joints_world_mm[:, 0, 1]
    for up, down in zip(edges[:-1], edges[1:]):
        if not airborne[up + 1] or airborne[down + 1]:
            continue
        takeoff = up + (GT_CONTACT_MM - height[up]) / (height[up + 1] - height[up])
        landing = down + (height[down] - GT_CONTACT_MM) / (height[down] - height[down + 1])
        if not MIN_FLIGHT_S <= (landing - takeoff) / trial.fps <= GT_MAX_FLIGHT_S or height[up + 1:down + 1].max() < GT_MIN_CLEARANCE_MM:
            continue
        takeoff_pelvis = np.interp(takeoff, np.arange(len(pelvis)), pelvis)
        flights.append(ReferenceFlight(takeoff / trial.fps, landing / trial.fps,
                                       float(pelvis[up + 1:down + 1].max() - takeoff_pelvis)))
    return flights


def _first_frame_at_or_after(time_s: float, fps: float) -> int:
    return int(np.ceil(time_s * fps - 1e-9))


def _evaluate(trial: JumpTrial, lifter: Lifter, rng: np.random.Generator) -> list[dict]:
    references = reference_flights(trial)
    stature = float(np.median(skeleton_stature_mm(trial.joints_world_mm)))
    rows = []
    for fps in FRAME_RATES:
        joints = resample(trial.joints_world_mm, trial.fps, fps)
        toes = None if trial.toes_world_mm is None else resample(trial.toes_world_mm, trial.fps, fps)
        for view, recordings in filmed_views(joints, fps, lifter, stature, rng, toes, with_reference=False):
            for noise, recording in recordings.items():
                try:
                    result = DRILL.analyse(recording)
                    found = [(rep, events) for rep, events in zip(
                        result.reps, zip(result.events[::2], result.events[1::2]))]
                except MovementNotFound:
                    found = []
                for reference in references:
                    row = {"trial": trial.name, "group": trial.group, "fps": fps, "view": view, "noise": noise,
                           "ref_flight_s": reference.flight_time_s,
                           "ref_height_cm": flight_time_height_cm(reference.flight_time_s),
                           "ref_pelvis_cm": reference.pelvis_rise_mm / 10.0}
                    ref_takeoff = _first_frame_at_or_after(reference.takeoff_s, fps)
                    ref_landing = _first_frame_at_or_after(reference.landing_s, fps)
                    match = min(found, key=lambda item: abs(item[1][0].frame - ref_takeoff), default=None)
                    if match is not None and abs(match[1][0].frame - ref_takeoff) <= 0.5 * fps * reference.flight_time_s:
                        rep, (takeoff, landing) = match
                        row.update(
                            takeoff_error_frames=takeoff.frame - ref_takeoff,
                            landing_error_frames=landing.frame - ref_landing,
                            flight_s=rep.metrics["flight_time_s"].value,
                            frame_flight_s=(landing.frame - takeoff.frame) / fps,
                            height_cm=rep.metrics["jump_height_cm"].value,
                            pelvis_cm=rep.metrics["jump_height_pelvis_cm"].value
                            if "jump_height_pelvis_cm" in rep.metrics else None,
                        )
                    rows.append(row)
    return rows


def jump_trials(shared_data_dir: Path) -> list[JumpTrial]:
    trials = [cmu_trial(shared_data_dir, trial) for trial in CMU_TRIALS]
    trials += [kinder_gator_trial(path)
               for path in sorted((shared_data_dir / "eval/kinder-gator").glob(KINDER_GATOR_PATTERN))]
    return trials


def validate(shared_data_dir: Path) -> str:
    lifter = Lifter()
    rng = np.random.default_rng(0)
    rows, without_reference = [], []
    for trial in jump_trials(Path(shared_data_dir)):
        trial_rows = _evaluate(trial, lifter, rng)
        if not trial_rows:
            without_reference.append(trial.name)
        rows += trial_rows
    return _report(rows, without_reference)


def _summary(rows: list[dict]) -> dict[str, float]:
    found = [row for row in rows if "takeoff_error_frames" in row]
    events = [abs(row[key]) for row in found for key in ("takeoff_error_frames", "landing_error_frames")]
    height_errors = np.array([row["height_cm"] - row["ref_height_cm"] for row in found])
    frame_height_errors = np.array([flight_time_height_cm(row["frame_flight_s"]) - row["ref_height_cm"]
                                    for row in found])
    pelvis = np.array([row["pelvis_cm"] - row["ref_height_cm"] for row in found if row["pelvis_cm"] is not None])
    within = lambda values, limit: float(np.mean(np.abs(values) <= limit)) if len(values) else float("nan")
    return {
        "jumps": len(rows), "found": len(found),
        "events_within_1": float(np.mean(np.array(events) <= 1)) if events else float("nan"),
        "events_exact": float(np.mean(np.array(events) == 0)) if events else float("nan"),
        "height_mae_cm": float(np.mean(np.abs(height_errors))) if len(found) else float("nan"),
        "height_bias_cm": float(np.mean(height_errors)) if len(found) else float("nan"),
        "height_within_3": within(height_errors, TARGET_HEIGHT_CM),
        "frame_height_mae_cm": float(np.mean(np.abs(frame_height_errors))) if len(found) else float("nan"),
        "pelvis_mae_cm": float(np.mean(np.abs(pelvis))) if len(pelvis) else float("nan"),
        "pelvis_bias_cm": float(np.mean(pelvis)) if len(pelvis) else float("nan"),
    }


def _report(rows: list[dict], without_reference: list[str]) -> str:
    lines = [
        "Vertical-jump drill on mocap jumps filmed by virtual phone cameras (front, oblique, side; 1.1 m high, "
        "4 m away), 30 and 60 fps, clean and EPE-like 2D, lifted by the shipped Lifter with the subject's "
        f"stature. Targets: take-off and landing within one frame for >= {TARGET_EVENT_SHARE:.0%} of events; "
        f"jump height within {TARGET_HEIGHT_CM:g} cm. Height error: drill's flight-time height minus the "
        "reference flight-time height; 'whole-frame' uses the integer event frames instead of the interpolated "
        "crossings; 'pelvis' compares the drill's pelvis-rise height with the reference flight-time height.",
        "",
        "| subset | jumps | found | events ±1 frame | events exact | height MAE cm | bias cm | within 3 cm "
        "| whole-frame MAE cm | pelvis MAE cm | pelvis bias cm |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    subsets = {}
    for group in sorted({row["group"] for row in rows}):
        for fps in FRAME_RATES:
            for noise in ("clean", "epe"):
                subsets[f"{group}, {fps:g} fps, {noise}"] = [
                    row for row in rows if row["group"] == group and row["fps"] == fps and row["noise"] == noise]
    subsets["all"] = rows
    for name, subset in subsets.items():
        s = _summary(subset)
        lines.append(
            f"| {name} | {s['jumps']} | {s['found']} | {s['events_within_1']:.0%} | {s['events_exact']:.0%} | "
            f"{s['height_mae_cm']:.1f} | {s['height_bias_cm']:+.1f} | {s['height_within_3']:.0%} | "
            f"{s['frame_height_mae_cm']:.1f} | {s['pelvis_mae_cm']:.1f} | {s['pelvis_bias_cm']:+.1f} |")
    lines += ["", "Per trial (30 fps, EPE-like 2D; errors per view front/oblique/side):", "",
              "| trial | ref flight s | ref height cm | ref pelvis rise cm | take-off error frames | landing error "
              "frames | height error cm |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for trial in dict.fromkeys(row["trial"] for row in rows):
        picked = [row for row in rows if row["trial"] == trial and row["fps"] == 30.0 and row["noise"] == "epe"]
        for number, reference in enumerate(dict.fromkeys(row["ref_flight_s"] for row in picked), start=1):
            same = [row for row in picked if row["ref_flight_s"] == reference]
            cell = lambda key, fmt: "/".join(format(row[key], fmt) if key in row else "—" for row in same)
            height = "/".join(f"{row['height_cm'] - row['ref_height_cm']:+.1f}" if "height_cm" in row else "—"
                              for row in same)
            lines.append(f"| {trial} #{number} | {same[0]['ref_flight_s']:.3f} | {same[0]['ref_height_cm']:.1f} | "
                         f"{same[0]['ref_pelvis_cm']:.1f} | {cell('takeoff_error_frames', '+d')} | "
                         f"{cell('landing_error_frames', '+d')} | {height} |")
    if without_reference:
        lines += ["", "Trials without a reference flight (the feet never clear the floor by "
                  f"{GT_MIN_CLEARANCE_MM:g} mm for {MIN_FLIGHT_S} s): {', '.join(without_reference)}."]
    return "\n".join(lines)
