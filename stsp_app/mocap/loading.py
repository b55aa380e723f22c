"""Entry points: load one motion file, or walk a folder tree of them, whatever the format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from stsp_app.errors import InputError
from stsp_app.mocap.asf_amc import load_amc_motion
from stsp_app.mocap.bvh_rigs import load_bvh_motion
from stsp_app.mocap.humaneva_npz import iter_humaneva_npz
from stsp_app.mocap.kinect_csv import load_kinect_csv
from stsp_app.mocap.motion import Motion

MOTION_SUFFIXES = (".bvh", ".amc", ".csv", ".npz")


def load_motion(
    path: str | Path, *, asf_path: str | Path | None = None, motion_name: str | None = None
) -> Motion:
    """One motion from a .bvh, .amc (its .asf beside it, or ``asf_path``), Kinect .csv or HumanEva .npz.

    An npz holds many motions: ``motion_name`` picks one (``<split>/<subject>/<action>``); without it the
    file must hold exactly one.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"motion file not found: {path}")
    suffix = path.suffix.lower()
    if suffix == ".bvh":
        return load_bvh_motion(path)
    if suffix == ".amc":
        return load_amc_motion(path, asf_path)
    if suffix == ".csv":
        return load_kinect_csv(path)
    if suffix == ".npz":
        motions = [m for m in iter_humaneva_npz(path) if motion_name is None or m.name == motion_name]
        if len(motions) == 1:
            return motions[0]
        if not motions:
            raise InputError(f"{path.name}: holds no motion named {motion_name!r}")
        raise InputError(
            f"{path.name}: holds {len(motions)} motions; name one (motion_name) or use iter_motions"
        )
    raise InputError(
        f"{path.name}: not a motion file this app reads (it reads {', '.join(MOTION_SUFFIXES)})"
    )


def iter_motions(path_or_dir: str | Path) -> Iterator[Motion]:
    """Every motion in a file or, recursively and in sorted order, in a folder tree (one per npz entry).

    In a folder, files that hold no motion are skipped: .asf skeletons, READMEs, tables such as trials.csv,
    npz files without 3D poses (2D keypoints). A motion file that fails to load raises its InputError.
    """
    root = Path(path_or_dir)
    if not root.exists():
        raise InputError(f"motion file or folder not found: {root}")
    if root.is_file():
        yield from iter_humaneva_npz(root) if root.suffix.lower() == ".npz" else [load_motion(root)]
        return
    for path in sorted(p for p in root.rglob("*") if p.suffix.lower() in MOTION_SUFFIXES):
        suffix = path.suffix.lower()
        if suffix == ".npz" and _holds_3d_poses(path):
            yield from iter_humaneva_npz(path)
        elif suffix in (".bvh", ".amc") or (suffix == ".csv" and _is_kinect_csv(path)):
            yield load_motion(path)


def _holds_3d_poses(path: Path) -> bool:
    try:
        with np.load(path, allow_pickle=False) as archive:
            return "positions_3d" in archive.files
    except (OSError, ValueError):
        return False


def _is_kinect_csv(path: Path) -> bool:
    with path.open(encoding="utf-8", errors="replace") as handle:
        return handle.readline().startswith("Timestamp,")
