"""Runs a lifter on evaluation clips and pools the 3D metrics (what ``stsp-coach eval-3d`` prints)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from stsp_app.evaluation.angle_errors import PooledAngleErrors
from stsp_app.evaluation.clips import load_clips
from stsp_app.evaluation.metrics_3d import PooledErrors
from stsp_app.lifting.anthropometry import stature_mm


def evaluate_clips_dir(clips_dir: Path, lifter, known_stature: bool = False) -> dict:
    """Metrics of ``lifter`` (``stsp_app.lifting.lifter.Lifter``) pooled over every clip in ``clips_dir``.

    ``known_stature`` gives the lifter each person's stature, measured on the clip's ground truth, as a coach
    who types in the child's height would.
    """
    clips = load_clips(clips_dir)
    pooled = PooledErrors()
    angles = PooledAngleErrors()
    true_statures, guessed_statures = [], []
    for clip in clips:
        true_statures.append(float(np.median(stature_mm(clip.joints3d_mm))))
        predicted = lifter.lift_sequence(clip.keypoints(), clip.fps,
                                         stature_mm=true_statures[-1] if known_stature else None)
        guessed_statures.append(float(np.nanmedian(stature_mm(predicted))))
        pooled.add(predicted, clip.root_relative_mm())
        angles.add(predicted, clip.root_relative_mm(), clip.fps, clip.keypoints())
    return {"clips": len(clips), "model": lifter.model, "mirror_average": lifter.mirror_average,
            "known_stature": known_stature, **pooled.metrics(), **angles.metrics(),
            **size_guess_metrics(np.array(true_statures), np.array(guessed_statures))}


def size_guess_metrics(true_mm: np.ndarray, guessed_mm: np.ndarray) -> dict:
    """How well the lifter guessed each clip's person's stature (one value per clip; docs/metrics.md).

    MPJPE without a known stature mostly measures this guess, so eval-3d reports it next to MPJPE.
    """
    spread = len(true_mm) >= 3 and np.std(true_mm) > 1.0 and np.std(guessed_mm) > 1.0
    return {
        "stature_mm": round(float(np.mean(true_mm)), 1),
        "guessed_stature_mm": round(float(np.mean(guessed_mm)), 1),
        "stature_abs_error_mm": round(float(np.mean(np.abs(guessed_mm - true_mm))), 1),
        "stature_correlation": round(float(np.corrcoef(true_mm, guessed_mm)[0, 1]), 3) if spread else None,
    }
