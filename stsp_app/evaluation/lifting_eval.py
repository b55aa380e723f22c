"""Runs a lifter on evaluation clips and pools the 3D metrics (what ``stsp-coach eval-3d`` prints)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

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
    for clip in clips:
        stature = float(np.median(stature_mm(clip.joints3d_mm))) if known_stature else None
        pooled.add(lifter.lift_sequence(clip.keypoints(), clip.fps, stature_mm=stature), clip.root_relative_mm())
    return {"clips": len(clips), "model": lifter.model, "mirror_average": lifter.mirror_average,
            "known_stature": known_stature, **pooled.metrics()}
