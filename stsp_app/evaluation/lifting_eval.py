"""Runs a lifter on evaluation clips and pools the 3D metrics (what ``stsp-coach eval-3d`` prints)."""

from __future__ import annotations

from pathlib import Path

from stsp_app.evaluation.clips import load_clips
from stsp_app.evaluation.metrics_3d import PooledErrors


def evaluate_clips_dir(clips_dir: Path, lifter) -> dict:
    """Metrics of ``lifter`` (``stsp_app.lifting.lifter.Lifter``) pooled over every clip in ``clips_dir``."""
    clips = load_clips(clips_dir)
    pooled = PooledErrors()
    for clip in clips:
        pooled.add(lifter.lift_sequence(clip.keypoints(), clip.fps), clip.root_relative_mm())
    return {"clips": len(clips), "model": lifter.model, **pooled.metrics()}
