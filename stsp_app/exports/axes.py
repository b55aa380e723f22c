"""The rotations from the analysis's camera axes to the axes biomechanics tools expect.

The 3D poses are in camera axes: x to the right of the picture, y down, z away from the camera (right-handed),
pelvis at the origin. Both rotations below are proper (determinant +1), so the child's left stays left.

- OpenSim (TRC): Y up, X to the right of the picture (forward for a child filmed from the side moving to the
  right), Z towards the camera: a half turn about the camera's x axis, (x, y, z) -> (x, -y, -z).
- C3D: Z up as in most motion-capture labs (Vicon, Qualisys, Visual3D), X to the right of the picture, Y away
  from the camera: a quarter turn about the camera's x axis, (x, y, z) -> (x, z, -y).
"""

from __future__ import annotations

import numpy as np

CAMERA_TO_OPENSIM = np.array([
    [1.0, 0.0, 0.0],
    [0.0, -1.0, 0.0],
    [0.0, 0.0, -1.0],
])
CAMERA_TO_C3D_LAB = np.array([
    [1.0, 0.0, 0.0],
    [0.0, 0.0, 1.0],
    [0.0, -1.0, 0.0],
])


def rotate(points: np.ndarray, rotation: np.ndarray) -> np.ndarray:
    """Points (..., 3) in camera axes -> the same points in the axes of ``rotation`` (NaN stays NaN)."""
    return np.asarray(points, dtype=np.float64) @ rotation.T
