"""Training and evaluation sequences: mocap motion seen through a virtual camera, with optional EPE-like noise.

A motion (T, 17, 3 world, Y up, mm) becomes, per draw: a resampled (``MODEL_FPS``), optionally mirrored and
child-proportioned copy, a random phone/webcam camera, the clean or noisy 2D keypoints and confidences, and
the camera-frame 3D joints.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stsp_app.core.skeleton import BONES, MIRROR_PERMUTATION
from stsp_app.lifting.anthropometry import rebuild_with_bone_factors, scale_to_stature, stature_mm
from stsp_app.lifting.cameras import Camera, sample_camera
from stsp_app.lifting.noise import NoiseProfile, add_epe_noise
from stsp_app.lifting.normalisation import normalise_keypoints

MODEL_FPS = 30.0
MIN_DEPTH_MM = 800.0

# Where a "thorax", "shoulder" or "hip" joint sits differs between mocap rigs, Kinect and 2D detectors (the
# held-out CMU rig's shoulders are 229 mm apart, the training subjects' 333-398 mm). Each training view
# draws one length factor per bone group from these ranges (left and right alike), so the lifter learns no
# single rig's joint placement. Ranges cover the differences measured between the rigs in shared/data.
PROPORTION_RANGES: tuple[tuple[tuple[tuple[int, int], ...], float, float], ...] = (
    (((0, 1), (0, 4)), 0.6, 1.3),  # hip width
    (((0, 7),), 0.7, 1.3),  # pelvis -> spine
    (((7, 8),), 0.6, 1.5),  # spine -> thorax
    (((8, 9), (9, 10)), 0.7, 1.4),  # neck and head
    (((8, 11), (8, 14)), 0.55, 1.15),  # shoulder width
    (((1, 2), (4, 5)), 0.8, 1.1),  # thighs
    (((2, 3), (5, 6)), 0.9, 1.1),  # shanks
    (((11, 12), (14, 15), (12, 13), (15, 16)), 0.85, 1.15),  # arms
)


# Where a rig puts the knee and elbow centres relative to the hip-ankle and shoulder-wrist lines differs as much
# as the bone lengths do: the CMU training subjects stand with their knees at 12-16 degrees (marker-fitted
# skeletons), Kinect children stand at 2-5 (docs/RESULTS.md, "Joint angles"), and straight limbs are rare in the
# training mocap. Half the training views straighten both knees, and independently both elbows, by up to this
# many degrees (straighten_limbs), so the lifter learns no single rig's bend and meets straight limbs often.
LIMB_STRAIGHTENING_MAX_DEG = 20.0
LIMB_CHAINS = {"knee": ((1, 2, 3), (4, 5, 6)), "elbow": ((14, 15, 16), (11, 12, 13))}  # (proximal, middle, end)


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


def mirror(joints: np.ndarray) -> np.ndarray:
    """The mirror image of (..., 17, C) joints: x -> -x, left and right joints swapped; other channels (y, z or
    a confidence) kept. For a motion: the same motion performed mirror-wise."""
    out = joints[..., list(MIRROR_PERMUTATION), :].copy()
    out[..., 0] *= -1.0
    return out


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


def vary_joint_placement(joints_mm: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The motion with each bone group's length multiplied by a factor drawn from PROPORTION_RANGES."""
    factors = np.ones(len(BONES))
    for bones, low, high in PROPORTION_RANGES:
        factor = rng.uniform(low, high)
        for bone in bones:
            factors[BONES.index(bone)] = factor
    root = joints_mm[:, :1]
    return rebuild_with_bone_factors(joints_mm - root, factors) + root


def straighten_limbs(joints_mm: np.ndarray, joint: str, by_deg: float) -> np.ndarray:
    """The motion with both knees (``joint="knee"``) or elbows straightened by ``by_deg``: each frame's flexion
    θ becomes θ - by_deg where θ >= 2·by_deg and θ² / (4·by_deg) below (smooth and monotonic: a bent limb stays
    bent, a nearly straight one becomes straight, none overextends). The end joint (ankle, wrist) turns about
    the middle joint in the limb's own plane; every bone keeps its length."""
    out = np.array(joints_mm, dtype=np.float64, copy=True)
    if by_deg <= 0:
        return out
    for proximal, middle, end in LIMB_CHAINS[joint]:
        upper = out[:, middle] - out[:, proximal]
        lower = out[:, end] - out[:, middle]
        upper_unit = upper / np.linalg.norm(upper, axis=-1, keepdims=True)
        lower_length = np.linalg.norm(lower, axis=-1, keepdims=True)
        cosine = np.clip(np.sum(upper_unit * lower / lower_length, axis=-1), -1.0, 1.0)
        flexion = np.degrees(np.arccos(cosine))  # 0 when the limb is straight
        new_flexion = np.where(flexion >= 2 * by_deg, flexion - by_deg, flexion ** 2 / (4 * by_deg))
        # the unit vector in the limb's plane, perpendicular to the upper segment, on the lower segment's side
        across = lower / lower_length - cosine[:, None] * upper_unit
        across_norm = np.linalg.norm(across, axis=-1, keepdims=True)
        bent = across_norm[:, 0] > 1e-6
        across = np.where(bent[:, None], across / np.where(across_norm > 1e-6, across_norm, 1.0), 0.0)
        angle = np.radians(new_flexion)[:, None]
        out[bent, end] = (out[:, middle] + lower_length * (np.cos(angle) * upper_unit + np.sin(angle) * across))[bent]
    return out


def training_draw(joints_world_mm: np.ndarray, fps: float, rng: np.random.Generator, noise: NoiseProfile,
                  clean_share: float, min_stature_mm: float = 1000.0, max_stature_mm: float = 1800.0,
                  speed_range: tuple[float, float] = (1.0, 1.0),
                  limb_straightening_max_deg: float = 0.0) -> RenderedSequence:
    """One training view of a motion: played at a random speed from ``speed_range`` (log-uniform; 1 = as
    recorded) and resampled to MODEL_FPS, maybe mirrored, scaled to a random stature with child proportions
    and varied joint placement, and in half the views (each) knees and elbows straightened by up to
    ``limb_straightening_max_deg`` (0: never)."""
    speed = 1.0
    if speed_range[0] != speed_range[1]:
        speed = float(np.exp(rng.uniform(np.log(speed_range[0]), np.log(speed_range[1]))))
    joints = resample(joints_world_mm, fps * speed, MODEL_FPS)
    if rng.random() < 0.5:
        joints = mirror(joints)
    stature = rng.uniform(min_stature_mm, max_stature_mm)
    joints = vary_joint_placement(scale_to_stature(joints, stature), rng)
    if limb_straightening_max_deg > 0:
        for joint in ("knee", "elbow"):
            if rng.random() < 0.5:
                joints = straighten_limbs(joints, joint, rng.uniform(0.0, limb_straightening_max_deg))
    joints *= stature / float(np.median(stature_mm(joints)))
    use_noise = rng.random() >= clean_share
    return render(joints, MODEL_FPS, rng, noise if use_noise else None, noise_strength=rng.uniform(0.5, 1.5))
