"""Evaluation clips: one filmed motion per ``.npz`` (docs/formats.md, "Evaluation clips").

Keys: ``joints3d_mm`` (T, 17, 3) camera frame, mm; ``joints2d_px`` (T, 17, 2); optional ``conf`` (T, 17);
``K`` (3, 3); ``fps`` (scalar). ``make_clips`` writes them from mocap through a virtual camera; extra keys
(``image_size_px``, ``source``, ``noise``) document how.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stsp_app.core.atomic_write import atomic_path
from stsp_app.core.skeleton import NUM_JOINTS
from stsp_app.errors import InputError

REQUIRED_KEYS = ("joints3d_mm", "joints2d_px", "K", "fps")


@dataclass
class EvalClip:
    name: str
    joints3d_mm: np.ndarray
    joints2d_px: np.ndarray
    confidence: np.ndarray
    K: np.ndarray
    fps: float

    def keypoints(self) -> np.ndarray:
        """(T, 17, 3) x_px, y_px, confidence: what the lifter reads."""
        return np.concatenate([self.joints2d_px, self.confidence[..., None]], axis=-1)

    def root_relative_mm(self) -> np.ndarray:
        return self.joints3d_mm - self.joints3d_mm[:, :1]


def load_clip(path: Path) -> EvalClip:
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: not a readable npz clip ({error})") from error
    with archive:
        missing = [key for key in REQUIRED_KEYS if key not in archive.files]
        if missing:
            raise InputError(f"{path.name}: missing {', '.join(missing)} (a clip needs {', '.join(REQUIRED_KEYS)})")
        joints3d = np.asarray(archive["joints3d_mm"], dtype=np.float64)
        joints2d = np.asarray(archive["joints2d_px"], dtype=np.float64)
        frames = joints3d.shape[0] if joints3d.ndim == 3 else -1
        if "conf" in archive.files:
            confidence = np.asarray(archive["conf"], dtype=np.float64)
        else:
            confidence = np.ones((max(frames, 0), NUM_JOINTS))
        K = np.asarray(archive["K"], dtype=np.float64)
        fps = float(archive["fps"])
    if joints3d.shape != (frames, NUM_JOINTS, 3) or frames < 1:
        raise InputError(f"{path.name}: joints3d_mm must have shape (T, 17, 3), not {joints3d.shape}")
    if joints2d.shape != (frames, NUM_JOINTS, 2):
        raise InputError(f"{path.name}: joints2d_px must have shape ({frames}, 17, 2), not {joints2d.shape}")
    if confidence.shape != (frames, NUM_JOINTS):
        raise InputError(f"{path.name}: conf must have shape ({frames}, 17), not {confidence.shape}")
    if K.shape != (3, 3):
        raise InputError(f"{path.name}: K must be 3x3, not {K.shape}")
    if not fps > 0:
        raise InputError(f"{path.name}: fps must be positive, not {fps}")
    if not np.isfinite(joints3d).all():
        raise InputError(f"{path.name}: joints3d_mm holds non-finite values")
    return EvalClip(path.stem, joints3d, joints2d, confidence, K, fps)


def load_clips(clips_dir: Path) -> list[EvalClip]:
    clips_dir = Path(clips_dir)
    if not clips_dir.is_dir():
        raise InputError(f"clips folder not found: {clips_dir}")
    paths = sorted(clips_dir.glob("*.npz"))
    if not paths:
        raise InputError(f"{clips_dir}: holds no *.npz clips")
    return [load_clip(path) for path in paths]


def _file_stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "motion"


def make_clips(source: Path, out_dir: Path, *, noise: str = "clean", noise_strength: float = 1.0,
               noise_profile_path: Path | None = None, seed: int = 0, fps: float = 30.0, views: int = 1,
               max_seconds: float | None = None) -> list[Path]:
    """Film every motion under ``source`` with ``views`` random phone/webcam cameras; write one npz per view.

    ``noise`` is ``clean`` (exact projections, confidence 1) or ``epe`` (EPE-like noise from the profile).
    Motions are resampled to ``fps`` and keep their own size and proportions. The same seed gives the same
    cameras with either noise.
    """
    from stsp_app.lifting.dataset import render, resample
    from stsp_app.lifting.noise import load_profile
    from stsp_app.mocap import iter_motions

    if noise not in ("clean", "epe"):
        raise InputError(f"noise must be 'clean' or 'epe', not {noise!r}")
    profile = load_profile(noise_profile_path) if noise == "epe" else None
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    camera_rng = np.random.default_rng(seed)
    noise_rng = np.random.default_rng([seed, 1])  # a separate stream: clean and noisy clips share their cameras
    written = []
    for motion in iter_motions(source):
        joints = resample(motion.joints_mm.astype(np.float64), motion.fps, fps, motion.timestamps_s)
        if max_seconds is not None:
            joints = joints[: max(1, int(round(max_seconds * fps)))]
        if len(joints) < 3:
            continue
        for view in range(views):
            rendered = render(joints, fps, camera_rng, profile, noise_strength, noise_rng)
            path = out_dir / f"{_file_stem(motion.name)}_v{view}.npz"
            with atomic_path(path) as temporary, open(temporary, "wb") as handle:
                np.savez_compressed(
                    handle, joints3d_mm=rendered.joints3d_mm, joints2d_px=rendered.joints2d_px, conf=rendered.confidence,
                    K=rendered.camera.K, fps=np.float64(fps), image_size_px=np.array(rendered.camera.image_size_px),
                    source=str(motion.name), noise=f"{noise} x{noise_strength:g}" if noise == "epe" else "clean",
                )
            written.append(path)
    if not written:
        raise InputError(f"{source}: no motion of 3 frames or more to make clips from")
    return written
