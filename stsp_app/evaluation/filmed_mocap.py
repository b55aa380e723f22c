"""Mocap filmed by virtual phone cameras, as the drill validations see it: the 2D a phone on a tripod would
record (clean, or with the 2D stage's measured EPE-like noise), lifted to 3D by the shipped Lifter, as a drill's
:class:`~stsp_app.drills.Recording`; and the same motion's ground truth as a recording, for references.

The cameras: a phone on a tripod CAMERA_HEIGHT_MM high, CAMERA_DISTANCE_MM from the subject, 26 mm-equivalent
lens, portrait 1080x1920, looking at the subject from the front, at 45 degrees or from the side.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import replace
from types import SimpleNamespace

import numpy as np

from stsp_app.core.lens import focal_px_from_equivalent_mm
from stsp_app.core.skeleton import BLAZEPOSE_INDEX, JOINT_INDEX, NUM_BLAZEPOSE_LANDMARKS
from stsp_app.drills import DrillResult, MovementNotFound, Recording, run_drill
from stsp_app.drills.recording import frame_poses_mm
from stsp_app.kinematics.motion_series import motion_series
from stsp_app.lifting.cameras import Camera, intrinsics, look_at_rotation
from stsp_app.lifting.lifter import Lifter
from stsp_app.lifting.noise import add_epe_noise, load_profile

CAMERA_VIEWS_DEG = {"front": 0.0, "oblique": 45.0, "side": 90.0}
CAMERA_HEIGHT_MM = 1100.0
CAMERA_DISTANCE_MM = 4000.0
IMAGE_SIZE_PX = (1080, 1920)


def phone_camera(joints_world_mm: np.ndarray, view_deg: float) -> Camera:
    """A phone on a tripod CAMERA_DISTANCE_MM from the subject, ``view_deg`` round from their front."""
    centre = joints_world_mm[:, 0].mean(axis=0)
    floor_y = float(np.percentile(joints_world_mm[:, [3, 6], 1], 2))
    right = np.median(joints_world_mm[:, 1] - joints_world_mm[:, 4], axis=0)
    right[1] = 0.0
    forward = np.cross([0.0, 1.0, 0.0], right / np.linalg.norm(right))
    angle = np.radians(view_deg)
    direction = np.cos(angle) * forward + np.sin(angle) * np.cross([0.0, 1.0, 0.0], forward)
    eye = centre + CAMERA_DISTANCE_MM * direction
    eye[1] = floor_y + CAMERA_HEIGHT_MM
    target = centre.copy()
    target[1] = floor_y + 0.55 * (centre[1] - floor_y) + 300.0
    R = look_at_rotation(eye, target)
    K = intrinsics(focal_px_from_equivalent_mm(26.0, IMAGE_SIZE_PX), IMAGE_SIZE_PX)
    return Camera(K=K, R=R, t_mm=-R @ eye, image_size_px=IMAGE_SIZE_PX)


def filmed_recording(joints_world_mm: np.ndarray, fps: float, camera: Camera, lifter: Lifter, stature_mm: float,
                     noise_rng: np.random.Generator | None = None,
                     toes_world_mm: np.ndarray | None = None) -> Recording:
    """The drill's input for a motion filmed by ``camera``: 2D (optionally EPE-noisy), lifted to 3D.

    ``toes_world_mm`` (T, 2, 3: left, right), where the mocap has the toes, are filmed as BlazePose's
    ``foot_index`` landmarks, the foot's lowest point that the jump drills read from a real video (they fall back
    to the ankles without them); with noisy 2D each toe takes its ankle's error (a foot's landmarks err together).
    """
    clean_px = camera.project(camera.world_to_camera(joints_world_mm))
    keypoints_px, confidence = clean_px, np.ones(clean_px.shape[:2])
    if noise_rng is not None:
        keypoints_px, confidence = add_epe_noise(clean_px, noise_rng, load_profile())
    kp2d = np.concatenate([keypoints_px, confidence[..., None]], axis=-1).astype(np.float64)
    landmarks = None if toes_world_mm is None else _toe_landmarks(camera, toes_world_mm, keypoints_px - clean_px,
                                                                  confidence)
    return replace(_recording(kp2d, lifter.lift_sequence(kp2d, fps, stature_mm), fps, camera, stature_mm, landmarks),
                   lift_frames_alone=functools.partial(frame_poses_mm, kp2d, fps, stature_mm))


# What each view's recordings are read from, as filmed_views gives them
FILMED_SOURCES = ("reference", "clean", "epe")


def filmed_views(joints_world_mm: np.ndarray, fps: float, lifter: Lifter, stature_mm: float,
                 noise_rng: np.random.Generator, toes_world_mm: np.ndarray | None = None,
                 with_reference: bool = True) -> Iterator[tuple[str, dict[str, Recording]]]:
    """Per camera of CAMERA_VIEWS_DEG, its view's name and the motion's recordings by FILMED_SOURCES: "reference" (the
    mocap's own 3D, :func:`ground_truth_recording`; left out without ``with_reference``), "clean" and "epe"
    (filmed and lifted, the second with EPE-like 2D drawn from ``noise_rng``)."""
    for view, view_deg in CAMERA_VIEWS_DEG.items():
        camera = phone_camera(joints_world_mm, view_deg)
        recordings = {}
        if with_reference:
            recordings["reference"] = ground_truth_recording(joints_world_mm, fps, camera, stature_mm)
        recordings["clean"] = filmed_recording(joints_world_mm, fps, camera, lifter, stature_mm, None, toes_world_mm)
        recordings["epe"] = filmed_recording(joints_world_mm, fps, camera, lifter, stature_mm, noise_rng,
                                             toes_world_mm)
        yield view, recordings


def drill_or_none(drill: str, recording: Recording) -> DrillResult | None:
    """The drill's result on the recording, None where it finds no movement."""
    try:
        return run_drill(drill, recording)
    except MovementNotFound:
        return None


def _toe_landmarks(camera: Camera, toes_world_mm: np.ndarray, joint_error_px: np.ndarray,
                   confidence: np.ndarray) -> np.ndarray:
    """(T, 33, 3) BlazePose landmarks holding only the two foot_index points (NaN elsewhere): each toe filmed by
    ``camera`` and moved by its ankle's 2D error (``joint_error_px``, (T, 17, 2)), with the ankle's confidence."""
    landmarks = np.full((len(toes_world_mm), NUM_BLAZEPOSE_LANDMARKS, 3), np.nan)
    for side_index, side in enumerate(("left", "right")):
        ankle, toe = JOINT_INDEX[f"{side}_ankle"], BLAZEPOSE_INDEX[f"{side}_foot_index"]
        landmarks[:, toe, :2] = camera.project(camera.world_to_camera(toes_world_mm[:, side_index]))
        landmarks[:, toe, :2] += joint_error_px[:, ankle]
        landmarks[:, toe, 2] = confidence[:, ankle]
    return landmarks


def ground_truth_recording(joints_world_mm: np.ndarray, fps: float, camera: Camera, stature_mm: float) -> Recording:
    """The reference: the mocap's own 3D in the camera's axes (pelvis-relative, as the lifter gives it) with its
    exact 2D projection."""
    joints_camera = camera.world_to_camera(joints_world_mm)
    kp2d = np.concatenate([camera.project(joints_camera), np.ones(joints_camera.shape[:2] + (1,))], axis=-1)
    return _recording(kp2d, joints_camera - joints_camera[:, :1], fps, camera, stature_mm)


def _recording(kp2d: np.ndarray, kp3d_mm: np.ndarray, fps: float, camera: Camera, stature_mm: float,
               landmarks: np.ndarray | None = None) -> Recording:
    frames = [SimpleNamespace(index=i, time_s=i / fps, kp2d=kp2d[i], kp3d_mm=kp3d_mm[i],
                              kp2d_raw33=None if landmarks is None else landmarks[i])
              for i in range(len(kp2d))]
    return Recording(motion=motion_series(frames), fps=fps, image_size_px=camera.image_size_px, stature_mm=stature_mm)
