"""Speed of the lifting stage through ONNX Runtime on the CPU (``stsp-coach bench`` reports it)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from stsp_app.core.paths import REPO_MODELS_DIR
from stsp_app.lifting.lifter import Lifter, LiveLifter
from stsp_app.lifting.model_files import OFFLINE_MODEL


def _synthetic_keypoints(frames: int, rng: np.random.Generator) -> np.ndarray:
    """A plausible-sized 2D person drifting across a 1280x720 frame (timing only: values do not matter)."""
    base = np.stack([rng.uniform(560, 720, 17), rng.uniform(200, 600, 17)], axis=-1)
    drift = np.linspace(0, 100, frames)[:, None, None] * np.array([1.0, 0.0])
    keypoints = base[None] + drift + rng.normal(0, 2, (frames, 17, 2))
    return np.concatenate([keypoints, np.full((frames, 17, 1), 0.9)], axis=-1)


def bench_lifting(models_dir: Path = REPO_MODELS_DIR, frames_per_clip: int = 300, repeats: int = 200) -> dict:
    """Median times of GSR+TMP as the app runs it (mirror averaging on): the causal model one frame at a time
    (live, 1 thread) and the offline model on a whole clip in one batch.

    Returns ``{"frame_ms_batch1_1thread": ..., "frame_ms_p90": ..., "clip_frames": ..., "clip_s_1thread": ...}``.
    """
    rng = np.random.default_rng(0)
    live = LiveLifter(fps=30.0, models_dir=models_dir, threads=1)
    keypoints = _synthetic_keypoints(repeats + 20, rng)
    for frame in keypoints[:20]:
        live.push(frame)  # warm-up
    times = []
    for frame in keypoints[20:]:
        started = time.perf_counter()
        live.push(frame)
        times.append(time.perf_counter() - started)
    lifter = Lifter(OFFLINE_MODEL, models_dir, threads=1)
    clip = _synthetic_keypoints(frames_per_clip, rng)
    lifter.lift_sequence(clip, 30.0)  # warm-up
    clip_times = []
    for _ in range(5):
        started = time.perf_counter()
        lifter.lift_sequence(clip, 30.0)
        clip_times.append(time.perf_counter() - started)
    return {
        "frame_ms_batch1_1thread": round(1000.0 * float(np.median(times)), 3),
        "frame_ms_p90": round(1000.0 * float(np.percentile(times, 90)), 3),
        "clip_frames": frames_per_clip,
        "clip_s_1thread": round(float(np.median(clip_times)), 4),
    }
