"""Forward kinematics shared by the BVH and ASF/AMC importers.

Conventions (column vectors, right-handed, angles in degrees):

* ``euler_matrices(angles, "ZYX")`` is ``Rz(a0) @ Ry(a1) @ Rx(a2)``: the matrix product in the order the
  axes are listed. Read as intrinsic rotations, the first listed axis is applied first; read as rotations
  about fixed axes, the last listed one is applied first. BVH channel lists use exactly this reading
  ("Zrotation Yrotation Xrotation" -> Rz @ Ry @ Rx); the ASF/AMC importer reverses its lists (ASF "XYZ"
  means x first about fixed axes, i.e. Rz @ Ry @ Rx).
* ``world_positions`` walks a tree whose joints are listed parents-first:
  ``R_world[j] = R_world[parent] @ R_local[j]`` and ``p[j] = p[parent] + R_frame @ offset[j]``, where
  ``R_frame`` is the parent's world rotation (BVH: a joint's OFFSET is fixed in its parent's frame) or the
  joint's own (ASF: a bone's direction turns with the bone itself), chosen by ``offsets_in_own_frame``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_AXIS_INDEX = {"X": 0, "Y": 1, "Z": 2}


def axis_rotation_matrices(angles_deg: np.ndarray, axis: str) -> np.ndarray:
    """Rotation matrices (..., 3, 3) about one coordinate axis ("X", "Y" or "Z") by ``angles_deg``."""
    if axis not in _AXIS_INDEX:
        raise ValueError(f"unknown rotation axis {axis!r}")
    angles = np.deg2rad(np.asarray(angles_deg, dtype=np.float64))
    cos, sin = np.cos(angles), np.sin(angles)
    i = _AXIS_INDEX[axis]
    j, k = (i + 1) % 3, (i + 2) % 3
    matrices = np.zeros(angles.shape + (3, 3))
    matrices[..., i, i] = 1.0
    matrices[..., j, j] = cos
    matrices[..., k, k] = cos
    matrices[..., j, k] = -sin
    matrices[..., k, j] = sin
    return matrices


def euler_matrices(angles_deg: np.ndarray, axes: str) -> np.ndarray:
    """``R_axes[0](angles[...,0]) @ R_axes[1](angles[...,1]) @ ...`` for angles of shape (..., len(axes)).

    ``axes`` is any sequence of "X", "Y", "Z" (one to three letters, repeats allowed); an empty ``axes``
    gives identity matrices of shape (..., 3, 3).
    """
    angles = np.asarray(angles_deg, dtype=np.float64)
    if angles.shape[-1] != len(axes):
        raise ValueError(f"{angles.shape[-1]} angles for rotation axes {axes!r}")
    result = np.broadcast_to(np.eye(3), angles.shape[:-1] + (3, 3)).copy()
    for position, axis in enumerate(axes):
        result = result @ axis_rotation_matrices(angles[..., position], axis)
    return result


def world_positions(
    parents: Sequence[int],
    offsets: np.ndarray,
    local_rotations: np.ndarray,
    root_positions: np.ndarray,
    offsets_in_own_frame: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """World positions (T, J, 3) and world rotations (T, J, 3, 3) of a joint tree over T frames.

    ``parents[j] < j`` for every joint but the root (``parents[0] == -1``); ``offsets`` (J, 3), or (T, J, 3)
    where they change per frame, are in the frame named by ``offsets_in_own_frame`` (see the module
    docstring); ``local_rotations`` is (T, J, 3, 3);
    ``root_positions`` (T, 3) is where joint 0 sits (its offset is not added: callers fold it in).
    """
    local_rotations = np.asarray(local_rotations, dtype=np.float64)
    num_frames, num_joints = local_rotations.shape[:2]
    offsets = np.broadcast_to(np.asarray(offsets, dtype=np.float64), (num_frames, num_joints, 3))
    root_positions = np.asarray(root_positions, dtype=np.float64)
    if parents[0] != -1 or any(not 0 <= parents[j] < j for j in range(1, num_joints)):
        raise ValueError("joints must be listed parents-first with the root first")
    rotations = np.empty((num_frames, num_joints, 3, 3))
    positions = np.empty((num_frames, num_joints, 3))
    rotations[:, 0] = local_rotations[:, 0]
    positions[:, 0] = root_positions
    for joint in range(1, num_joints):
        parent = parents[joint]
        rotations[:, joint] = rotations[:, parent] @ local_rotations[:, joint]
        frame = rotations[:, joint] if offsets_in_own_frame else rotations[:, parent]
        positions[:, joint] = positions[:, parent] + np.einsum("tij,tj->ti", frame, offsets[:, joint])
    return positions, rotations
