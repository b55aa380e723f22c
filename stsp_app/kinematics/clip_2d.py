"""The whole clip's 2D steps after the per-frame 2D stage: the left/right limb swaps undone, then the zero-lag
low-pass. A video file's analysis runs them over the clip (:meth:`stsp_app.pipeline.Pipeline.finish_clip`); the
live drill over its window of the live camera's frames (:mod:`stsp_app.drills.live`), so that a drill reads the
same 2D live as from a video file.
"""

from __future__ import annotations

import numpy as np

from stsp_app.epe.camera_motion import columns_to_scene, inverse_maps
from stsp_app.kinematics.limb_sides import repair_limb_sides
from stsp_app.kinematics.signals import butterworth_lowpass


def person_stretches(person_ids: np.ndarray) -> list[slice]:
    """A clip's rows cut where the analysed person changes: each slice holds one person's frames (``person_ids``
    (T,), -1 where nobody was found; frames without anyone stay with the stretch they follow, so the slices cover
    every row). One slice where the 2D stage followed one person throughout."""
    found = np.flatnonzero(np.asarray(person_ids) >= 0)
    changes = found[1:][np.diff(np.asarray(person_ids)[found]) != 0]
    bounds = [0, *changes.tolist(), len(person_ids)]
    return [slice(start, stop) for start, stop in zip(bounds[:-1], bounds[1:])]


def repair_limb_side_columns(kp2d: np.ndarray, raw33: np.ndarray,
                             stretches: list[slice] | None = None) -> dict[str, int]:
    """Undo limb swaps in place in a clip's (T, 17, 3) keypoints and (T, 33, 3) landmarks, each of ``stretches``
    (:func:`person_stretches`; the whole clip where None) alone; returns how many frames of each limb group were
    exchanged."""
    totals: dict[str, int] = {}
    for rows in stretches or [slice(0, len(kp2d))]:
        if not np.isfinite(kp2d[rows]).any():
            continue
        for group, frames in repair_limb_sides(kp2d[rows], raw33[rows]).items():
            totals[group] = totals.get(group, 0) + int(frames.sum())
    return totals


# Points filtered together at most (frames x points): a 90-minute match's whole (T, 33, 2) in float64 with the
# filter's copies would be hundreds of MB; this keeps a batch's copies to a few MB.
SMOOTH_BATCH_VALUES = 1_000_000


def smooth_2d_columns(kp2d: np.ndarray, raw33: np.ndarray, fps: float, cutoff_hz: float,
                      scene_from_image: np.ndarray | None = None, stretches: list[slice] | None = None) -> None:
    """Low-pass a clip's (T, 17, 3) keypoints and (T, 33, 3) landmarks in place, zero-lag, each point's runs of
    seen frames alone and each of ``stretches`` (:func:`person_stretches`; the whole clip where None) alone; on
    the first frame's picture where ``scene_from_image`` (T, 2, 3) gives each frame's map onto it (the camera's
    motion then stays in the points as it was filmed). Points seen on the same frames (usually all of a frame's)
    go through the filter together, SMOOTH_BATCH_VALUES at a time."""
    for rows in stretches or [slice(0, len(kp2d))]:
        scene = None if scene_from_image is None else scene_from_image[rows]
        back = None if scene is None else inverse_maps(scene)
        for array in (kp2d[rows], raw33[rows]):  # basic slices: views that change the whole clip's arrays
            for points in _points_seen_alike(array):
                columns = array[:, points]
                if back is not None:
                    columns = columns_to_scene(columns, scene)
                columns[..., :2] = butterworth_lowpass(columns[..., :2], fps, cutoff_hz)
                array[:, points] = columns if back is None else columns_to_scene(columns, back)


def _points_seen_alike(array: np.ndarray) -> list[list[int]]:
    """The (T, P, C) array's points in batches of points seen on the same frames, each batch at most
    SMOOTH_BATCH_VALUES frames x points (one point at least)."""
    seen = np.isfinite(array[..., :2]).all(axis=-1)  # (T, P)
    alike: dict[bytes, list[int]] = {}
    for point in range(array.shape[1]):
        alike.setdefault(np.packbits(seen[:, point]).tobytes(), []).append(point)
    size = max(1, SMOOTH_BATCH_VALUES // max(1, len(array)))
    return [points[start:start + size] for points in alike.values() for start in range(0, len(points), size)]
