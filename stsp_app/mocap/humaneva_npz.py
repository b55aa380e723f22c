"""HumanEva-I 3D poses in VideoPose3D's npz format (shared/data/eval/humaneva/data_3d_humaneva15.npz).

``positions_3d`` is a pickled dict ``{"<split>/<subject>": {"<action chunk>": (T, 15, 3) metres}}`` in
HumanEva's world frame, which is +Z up; it becomes +Y up by the proper rotation (x, y, z) -> (x, z, -y).
VideoPose3D's 15-joint order for HumanEva is HUMANEVA15_JOINTS below (its humaneva_dataset.py).
"""

from __future__ import annotations

import pickle
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from stsp_app.errors import InputError
from stsp_app.mocap.joint_maps import JointMap, apply_joint_map
from stsp_app.mocap.motion import Motion

HUMANEVA_FPS = 60.0
HUMANEVA15_JOINTS: tuple[str, ...] = (
    "pelvis", "thorax", "lsho", "lelb", "lwri", "rsho", "relb", "rwri",
    "lhip", "lkne", "lank", "rhip", "rkne", "rank", "head",
)
HUMANEVA15_JOINT_MAP: JointMap = {
    "pelvis": ("pelvis",),
    "right_hip": ("rhip",),
    "right_knee": ("rkne",),
    "right_ankle": ("rank",),
    "left_hip": ("lhip",),
    "left_knee": ("lkne",),
    "left_ankle": ("lank",),
    "spine": ("pelvis", "thorax"),
    "thorax": ("thorax",),
    "head": ("head",),
    "left_shoulder": ("lsho",),
    "left_elbow": ("lelb",),
    "left_wrist": ("lwri",),
    "right_shoulder": ("rsho",),
    "right_elbow": ("relb",),
    "right_wrist": ("rwri",),
}
# Z-up to Y-up, a rotation by -90 degrees about X (determinant +1, so left stays left).
Z_UP_TO_Y_UP = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])


def iter_humaneva_npz(path: str | Path) -> Iterator[Motion]:
    """One Motion per subject and action chunk, named ``<split>/<subject>/<action chunk>``."""
    path = Path(path)
    for key, positions_m in _read_positions(path).items():
        split_subject, action = key
        yield _to_motion(path, f"{split_subject}/{action}", split_subject.split("/")[-1], positions_m)


def _to_motion(path: Path, name: str, subject: str, positions_m: np.ndarray) -> Motion:
    positions_m = np.asarray(positions_m, dtype=np.float64)
    if positions_m.ndim != 3 or positions_m.shape[1:] != (len(HUMANEVA15_JOINTS), 3):
        raise InputError(f"{path.name}: {name} has shape {positions_m.shape}, expected (frames, 15, 3)")
    y_up_mm = positions_m @ Z_UP_TO_Y_UP.T * 1000.0
    index = {joint: i for i, joint in enumerate(HUMANEVA15_JOINTS)}
    joints_mm = apply_joint_map(HUMANEVA15_JOINT_MAP, lambda joint: y_up_mm[:, index[joint]])
    return Motion(
        name=name, fps=HUMANEVA_FPS, joints_mm=joints_mm, source_format="humaneva15-npz", subject=subject
    )


def _read_positions(path: Path) -> dict[tuple[str, str], np.ndarray]:
    try:
        with np.load(path, allow_pickle=True) as archive:
            if "positions_3d" not in archive.files:
                raise InputError(f"{path.name}: not a VideoPose3D 3D-pose file (no positions_3d array)")
            by_subject = archive["positions_3d"].item()
    except FileNotFoundError:
        raise InputError(f"npz file not found: {path}") from None
    except (OSError, ValueError, zipfile.BadZipFile, pickle.UnpicklingError) as error:
        raise InputError(f"{path.name}: unreadable npz file ({error})") from None
    if not isinstance(by_subject, dict):
        raise InputError(f"{path.name}: positions_3d is not a dictionary of subjects")
    return {
        (str(subject), str(action)): positions
        for subject, actions in by_subject.items()
        for action, positions in actions.items()
    }
