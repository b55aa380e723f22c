"""Training and evaluation sequences: mocap motion seen through a virtual camera, with optional EPE-like noise.

A motion (T, 17, 3 world, Y up, mm) becomes, per draw: a resampled (``MODEL_FPS``), optionally mirrored and
child-proportioned copy, a random phone/webcam camera, the clean or noisy 2D keypoints and confidences, and
the camera-frame 3D joints.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stsp_app.core.skeleton import MIRROR_PERMUTATION
from stsp_app.lifting.anthropometry import scale_to_stature
from stsp_app.lifting.cameras import Camera, sample_camera
from stsp_app.lifting.noise import NoiseProfile, add_epe_noise
from stsp_app.lifting.normalisation import normalise_keypoints

MODEL_FPS = 30.0
MIN_DEPTH_MM = 800.0


@dataclass
class RenderedSequence:
    joints3d_mm: np.ndarray  # (T, 17, 3) camera frame
    joints2d_px: np.ndarray  # (T, 17, 2)
    confidence: np.ndarray  # (T, 17)
    camera: Camera
    fps: float

    def features(self) -> np.ndarray:
        return normalise_keypoints(self.joints2d_px, self.confidence)

    def root_relative_m(self) -> np.ndarray:
        return ((self.joints3d_mm - self.joints3d_mm[:, :1]) / 1000.0).astype(np.float32)


def resample(joints_mm: np.ndarray, fps: float, target_fps: float,
             timestamps_s: np.ndarray | None = None) -> np.ndarray:
    """Linear resampling of (T, 17, 3) from ``fps`` (or per-frame ``timestamps_s``) to ``target_fps``."""
    frames = joints_mm.shape[0]
    source = np.arange(frames) / fps if timestamps_s is None else np.asarray(timestamps_s) - timestamps_s[0]
    times = np.arange(0.0, source[-1] + 1e-9, 1.0 / target_fps)
    flat = joints_mm.reshape(frames, -1)
    out = np.stack([np.interp(times, source, flat[:, k]) for k in range(flat.shape[1])], axis=1)
    return out.reshape(len(times), *joints_mm.shape[1:])


def mirror(joints_mm: np.ndarray) -> np.ndarray:
    """The same motion performed mirror-wise (x -> -x, left and right swapped)."""
    return (joints_mm * np.array([-1.0, 1.0, 1.0]))[:, list(MIRROR_PERMUTATION)]


def render(joints_world_mm: np.ndarray, fps: float, rng: np.random.Generator,
           noise: NoiseProfile | None = None, noise_strength: float = 1.0,
           noise_rng: np.random.Generator | None = None) -> RenderedSequence:
    """Film a motion with a random real-device camera placed so that every joint stays in front of it.

    The noise draws come from ``noise_rng`` where given (so clean and noisy clips can share their cameras).
    """
    centre = joints_world_mm[:, 0].mean(axis=0)
    floor_y = float(np.percentile(joints_world_mm[:, [3, 6], 1], 2))
    for _ in range(50):
        camera = sample_camera(rng, centre, floor_y)
        camera_points = camera.world_to_camera(joints_world_mm)
        if camera_points[..., 2].min() > MIN_DEPTH_MM:
            break
    else:
        raise ValueError("motion travels too far to be filmed from 2-10 m")
    clean_px = camera.project(camera_points)
    if noise is None:
        keypoints, confidence = clean_px.astype(np.float32), np.ones(clean_px.shape[:2], dtype=np.float32)
    else:
        keypoints, confidence = add_epe_noise(clean_px, noise_rng or rng, noise, noise_strength)
    return RenderedSequence(camera_points.astype(np.float32), keypoints, confidence, camera, fps)


def training_draw(joints_world_mm: np.ndarray, fps: float, rng: np.random.Generator, noise: NoiseProfile,
                  clean_share: float, min_stature_mm: float = 1000.0,
                  max_stature_mm: float = 1800.0) -> RenderedSequence:
    """One training view of a motion: resampled to MODEL_FPS, maybe mirrored, scaled to a random stature."""
    joints = resample(joints_world_mm, fps, MODEL_FPS)
    if rng.random() < 0.5:
        joints = mirror(joints)
    joints = scale_to_stature(joints, rng.uniform(min_stature_mm, max_stature_mm))
    use_noise = rng.random() >= clean_share
    return render(joints, MODEL_FPS, rng, noise if use_noise else None, noise_strength=rng.uniform(0.2, 1.0))
