"""The EPE stage under degraded footage, and against labelled frames (``stsp-coach eval-2d``).

No 2D labels exist for fast child motion, so robustness is measured as agreement with the same
configuration's run on the clean frames: PCK@0.05 (joints within 5% of the person's box size), the share of
frames where the person is still found, and the jitter on still stretches of the clean run. Accuracy is
measured where labels exist: the JHMDB and Human3.6M frames in ../shared/data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from stsp_app.core.skeleton import box_size
from stsp_app.core.video_source import VideoSource
from stsp_app.epe.config import EPEConfig
from stsp_app.epe.stage import EPEStage
from stsp_app.evaluation.degradations import DEGRADATIONS, degrade

PCK_THRESHOLD = 0.05
STILL_SPEED = 0.01  # box sizes per frame


def enhancement_configs(base: EPEConfig) -> dict[str, EPEConfig]:
    off = replace(base, motion_heatmaps=False, motion_roi=False, motion_filter=False)
    return {
        "no enhancement": off,
        "heatmap weighting only": replace(off, motion_heatmaps=True),
        "motion ROI only": replace(off, motion_roi=True),
        "motion-aware filter only": replace(off, motion_filter=True),
        "all three": replace(base, motion_heatmaps=True, motion_roi=True, motion_filter=True),
        "default (motion ROI + motion-aware filter)": replace(base, motion_heatmaps=False, motion_roi=True,
                                                              motion_filter=True),
    }


def decoder_and_filter_configs(base: EPEConfig) -> dict[str, EPEConfig]:
    return {
        "decoder: regression only": replace(base, decoder="regression"),
        "decoder: MediaPipe 7x7": replace(base, decoder="mediapipe"),
        "decoder: soft-argmax (Eq. 7)": base,
        "filter: none": replace(base, temporal_filter="none"),
        "filter: One-Euro": replace(base, temporal_filter="one-euro"),
        "filter: LTC (Eq. 8)": base,
    }


def run_stage(config: EPEConfig, frames: list[np.ndarray], fps: float) -> list[np.ndarray | None]:
    stage = EPEStage(config, fps=fps)
    return [stage.process(frame, index).kp2d for index, frame in enumerate(frames)]


def pck_against(reference: list[np.ndarray | None], run: list[np.ndarray | None], indices: list[int]) -> float:
    """PCK@0.05 of ``run`` (frames showing originals ``indices``) against the clean ``reference``."""
    hits, total = 0, 0
    for kp, original in zip(run, indices):
        ref = reference[original]
        if ref is None:
            continue
        total += len(ref)
        if kp is None:
            continue
        box = box_size(ref)
        hits += int(np.sum(np.linalg.norm(kp[:, :2] - ref[:, :2], axis=1) <= PCK_THRESHOLD * box))
    return 100.0 * hits / max(total, 1)


def still_jitter(run: list[np.ndarray | None]) -> float:
    """Mean |second difference| of still joints, in thousandths of the box size per frame^2."""
    values = []
    for start in range(2, len(run)):
        window = run[start - 2 : start + 1]
        if any(k is None for k in window):
            continue
        xy = np.stack([k[:, :2] for k in window])
        box = box_size(xy[1])
        speed = np.linalg.norm(np.diff(xy, axis=0), axis=-1).max(axis=0) / box
        still = speed < STILL_SPEED * 3
        if still.any():
            values.extend(np.linalg.norm(xy[2] - 2 * xy[1] + xy[0], axis=-1)[still] / box)
    return 1000.0 * float(np.mean(values)) if values else float("nan")


@dataclass
class RobustnessRow:
    clip: str
    configuration: str
    found_clean: float
    still_jitter: float
    pck: dict[str, float]
    found: dict[str, float]


def evaluate_clip(path: Path, configs: dict[str, EPEConfig], max_frames: int | None) -> list[RobustnessRow]:
    video = VideoSource(path)
    count = video.frame_count if max_frames is None else min(max_frames, video.frame_count)
    frames = [video.read(i) for i in range(count)]
    first_config = next(iter(configs.values()))
    patch_reference = run_stage(first_config, frames, video.fps)
    degraded = {kind: degrade(frames, kind, patch_reference, seed=7) for kind in DEGRADATIONS}
    rows = []
    for name, config in configs.items():
        clean = run_stage(config, frames, video.fps)
        pck, found = {}, {}
        for kind, (stream, indices) in degraded.items():
            run = run_stage(config, stream, video.fps)
            pck[kind] = pck_against(clean, run, indices)
            found[kind] = 100.0 * np.mean([k is not None for k in run])
        rows.append(RobustnessRow(path.name, name, 100.0 * np.mean([k is not None for k in clean]),
                                  still_jitter(clean), pck, found))
    return rows


def format_rows(rows: list[RobustnessRow]) -> str:
    header = ["clip", "configuration", "found clean %", "still jitter (‰ box/frame²)"]
    header += [f"PCK@0.05 {k}" for k in DEGRADATIONS] + [f"found {k} %" for k in DEGRADATIONS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        cells = [r.clip, r.configuration, f"{r.found_clean:.1f}", f"{r.still_jitter:.2f}"]
        cells += [f"{r.pck[k]:.1f}" for k in DEGRADATIONS] + [f"{r.found[k]:.1f}" for k in DEGRADATIONS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# -- labelled frames ------------------------------------------------------------------------------------
# Limb joints both label sets share, in H36M indices.
LIMB_JOINTS_H36M = (1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16)
# JHMDB's 15 labels (docs/formats.md) -> H36M index, for the shared limb joints.
JHMDB_TO_H36M = {3: 14, 4: 11, 5: 1, 6: 4, 7: 15, 8: 12, 9: 2, 10: 5, 11: 16, 12: 13, 13: 3, 14: 6}


def labelled_frames(shared_data: Path) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(name, image BGR, labels (17, 2) with NaN where unlabelled) for the JHMDB and Human3.6M frames."""
    items = []
    jhmdb = shared_data / "video" / "jhmdb"
    data = json.loads((jhmdb / "test_jhmdb_sub1.json").read_text())
    names = {image["id"]: image["file_name"] for image in data["images"]}
    for annotation in data["annotations"]:
        raw = np.asarray(annotation["keypoints"], dtype=np.float64).reshape(-1, 3)
        labels = np.full((17, 2), np.nan)
        for jhmdb_index, h36m_index in JHMDB_TO_H36M.items():
            if raw[jhmdb_index, 2] > 0:
                labels[h36m_index] = raw[jhmdb_index, :2]
        items.append((f"JHMDB {names[annotation['image_id']].split('/')[0]}",
                      cv2.imread(str(jhmdb / names[annotation["image_id"]])), labels))
    h36m = shared_data / "eval" / "h36m-3dhp-frames" / "h36m"
    npz = np.load(h36m / "test_h36m_body3d.npz")
    for name, part in zip(npz["imgname"], npz["part"]):
        items.append((f"H36M {Path(str(name)).stem}", cv2.imread(str(h36m / str(name))), part[:, :2].copy()))
    return items


def pck_on_labelled(config: EPEConfig, items, thresholds=(0.05, 0.1, 0.2)) -> dict[str, float]:
    """PCK of the shared limb joints at several fractions of the labelled person's box size."""
    hits = {t: 0 for t in thresholds}
    total = 0
    stage = EPEStage(replace(config, temporal_filter="none"), fps=30.0)
    for _, image, labels in items:
        stage.reset()  # each image on its own: no tracking from the previous one
        kp = stage.process(image, 0).kp2d
        joints = [j for j in LIMB_JOINTS_H36M if np.isfinite(labels[j]).all()]
        total += len(joints)
        if kp is None:
            continue
        valid = labels[joints]
        box = box_size(valid)
        errors = np.linalg.norm(kp[joints, :2] - valid, axis=1) / box
        for t in thresholds:
            hits[t] += int(np.sum(errors <= t))
    return {f"PCK@{t}": 100.0 * hits[t] / max(total, 1) for t in thresholds} | {"joints": total}
