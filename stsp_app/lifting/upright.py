"""The lifted 3D turned to stand in the world's axes rather than the camera's.

The lifter reads each pose from 2D centred on the person (``lifting.normalisation``), so it gives the body as a
camera turned straight at them would see it: its axes are the camera's, turned along the ray from the camera
to the person. A camera pitched down at a child leans every 3D pose by the ray's pitch (measured, docs/RESULTS.md
"A phone pitched down"). Where the background tells the camera's pitch (``epe.camera_roll``), :func:`upright_poses`
turns each pose back by the ray to the person's pelvis (through the lens ``core.lens`` takes) and by that pitch,
so that its y axis points down along gravity and z forward, level: trunk lean and the 3D view then read the body,
not the camera. Where it does not, the poses stay in the ray's axes: a coach aims the phone at the child, so the
ray is the best guess of level there is. The turn about the camera's own axis is taken out before lifting.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from stsp_app.core.lens import assumed_focal_px


def _upright_rotations(root_px: np.ndarray, picture_size_px: tuple[int, int], pitch_deg: float) -> np.ndarray:
    """(T, 3, 3) per frame, the rotation from the lifter's axes to the level ones: the ray to ``root_px`` ((T, 2)
    the pelvis on the picture the lifter read; NaN rows give the camera's own axes), then the camera's pitch
    (positive: looking down)."""
    root_px = np.asarray(root_px, dtype=np.float64).reshape(-1, 2)
    width, height = picture_size_px
    focal_px = assumed_focal_px(picture_size_px)
    ray = np.c_[(root_px - [width / 2.0, height / 2.0]) / focal_px, np.ones(len(root_px))]
    ray = np.where(np.isfinite(ray), ray, [0.0, 0.0, 1.0])
    ray /= np.linalg.norm(ray, axis=1, keepdims=True)
    axis = np.cross([0.0, 0.0, 1.0], ray)  # the shortest turn from the optical axis onto the ray
    turn = np.arctan2(np.linalg.norm(axis, axis=1), ray[:, 2])
    unit = axis / np.maximum(np.linalg.norm(axis, axis=1, keepdims=True), 1e-12)
    to_camera = Rotation.from_rotvec(unit * turn[:, None])
    levelled = Rotation.from_rotvec([-np.radians(pitch_deg), 0.0, 0.0])  # about the camera's x axis
    return (levelled * to_camera).as_matrix()


def upright_poses(poses_mm: np.ndarray, root_px: np.ndarray, picture_size_px: tuple[int, int],
                  pitch_deg: float) -> np.ndarray:
    """(T, J, 3) pelvis-centred poses in the lifter's axes turned into the level ones (:func:`_upright_rotations`);
    NaN rows stay NaN."""
    poses_mm = np.asarray(poses_mm)
    rotations = _upright_rotations(root_px, picture_size_px, pitch_deg)
    return np.einsum("tij,tkj->tki", rotations, poses_mm.astype(np.float64)).astype(poses_mm.dtype)
