"""Left and right kept apart through a whole clip: the 2D network's limb swaps found and undone by continuity.

In a side view the far leg (or arm) is hidden behind the near one, and BlazePose now and then labels the near
limb "left" on one frame and "right" on the next: ankles trade sides for a frame or a few where the legs
cross, which breaks every left/right figure (contact times, symmetry). Each limb moves smoothly, so over a
whole clip the assignment of the two limbs to "left" and "right" that moves most smoothly is the right one.

Per limb group (legs: knee, ankle, heel, toe; arms: elbow, wrist, pinky, index, thumb) and frame, a state says
whether the 2D's two limbs are exchanged. The states of the whole clip are chosen together (Viterbi, second
order): each frame costs the distance of its limb points from where the two previous frames, as assigned, put
them at constant velocity, in limb lengths, plus SWAP_PRIOR for every frame that goes against the network's own
labels (which are right most of the time: where the limbs cross and continuity cannot tell, the labels stand).
A gap without a person starts afresh. Offline only: the choice for a frame uses the frames after it.
"""

from __future__ import annotations

import numpy as np

from stsp_app.core.skeleton import BLAZEPOSE_INDEX, JOINT_INDEX
from stsp_app.kinematics.joint_angles import MIN_CONFIDENCE_2D
from stsp_app.kinematics.signals import consecutive_runs

# (17-joint names, BlazePose-only landmark names) of each limb group, without the side prefix.
LIMB_GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "leg": (("knee", "ankle"), ("heel", "foot_index")),
    "arm": (("elbow", "wrist"), ("pinky", "index", "thumb")),
}
# The cost of going against the network's label on one frame, in limb lengths of prediction error: a real swap
# moves the points by the distance between the two limbs (0.2-1 limb lengths) on its frame and the next two,
# while a wrong run of exchanged frames after a crossing costs this on each of its frames. Chosen on the hand
# labels of the two sprint clips (0.05, 0.1, 0.2, 0.4 tried; docs/RESULTS.md, "Left and right").
SWAP_PRIOR = 0.1
COST_BLOCK_FRAMES = 4096


def limb_points_px(kp2d: np.ndarray, kp2d_raw33: np.ndarray | None, group: str, side: str) -> np.ndarray:
    """(T, P, 2) image points of one limb; NaN where unseen or below the confidence floor."""
    joints, landmarks = LIMB_GROUPS[group]
    points = [kp2d[:, JOINT_INDEX[f"{side}_{name}"]] for name in joints]
    if kp2d_raw33 is not None:
        points += [kp2d_raw33[:, BLAZEPOSE_INDEX[f"{side}_{name}"]] for name in landmarks]
    stacked = np.stack(points, axis=1).astype(np.float64)
    seen = np.nan_to_num(stacked[..., 2]) >= MIN_CONFIDENCE_2D
    return np.where(seen[..., None], stacked[..., :2], np.nan)


def limb_length_px(kp2d: np.ndarray, group: str) -> float:
    """The limb's ("leg", "arm") length in the image: 90th percentile over frames and sides of its two
    segments (hip-knee-ankle, shoulder-elbow-wrist) in (T, 17, 3) 2D keypoints; NaN when never seen."""
    chain = ("hip", "knee", "ankle") if group == "leg" else ("shoulder", "elbow", "wrist")
    lengths = []
    for side in ("left", "right"):
        a, b, c = (kp2d[:, JOINT_INDEX[f"{side}_{name}"], :2] for name in chain)
        lengths.append(np.linalg.norm(a - b, axis=1) + np.linalg.norm(b - c, axis=1))
    lengths = np.concatenate(lengths)
    lengths = lengths[np.isfinite(lengths)]
    return float(np.percentile(lengths, 90)) if len(lengths) else float("nan")


def swapped_frames(left_px: np.ndarray, right_px: np.ndarray, limb_length_px: float) -> np.ndarray:
    """(T,) bool: the frames whose left and right limb (T, P, 2 points each) are to be exchanged."""
    count = len(left_px)
    swapped = np.zeros(count, dtype=bool)
    present = np.isfinite(left_px).any(axis=(1, 2)) & np.isfinite(right_px).any(axis=(1, 2))
    for run in consecutive_runs(present):
        if run.stop - run.start >= 3:
            swapped[run] = _viterbi(left_px[run] / limb_length_px, right_px[run] / limb_length_px)
    return swapped


def _viterbi(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Second-order Viterbi over the exchange states of one run of frames (points in limb lengths)."""
    count = left.shape[0]
    # cost[a, b, c, t]: frame t's prediction error with states a (t-2), b (t-1), c (t); in blocks of frames,
    # so that a match's temporaries stay small
    cost = np.zeros((2, 2, 2, count))
    for first in range(2, count, COST_BLOCK_FRAMES):
        last = min(first + COST_BLOCK_FRAMES, count)
        cost[..., first:last] = _prediction_costs(left[first - 2:last], right[first - 2:last])
    prior = np.array([0.0, SWAP_PRIOR])
    # best[b, c]: cheapest path ending with states b at t-1 and c at t
    best = prior[:, None] + prior[None, :]
    back = np.zeros((count, 2, 2), dtype=np.int8)
    for t in range(2, count):
        options = best[:, :, None] + cost[:, :, :, t]  # (a, b, c)
        back[t] = np.argmin(options, axis=0)
        best = options.min(axis=0) + prior[None, :]
    states = np.zeros(count, dtype=np.int8)
    states[-2], states[-1] = np.unravel_index(int(np.argmin(best)), best.shape)
    for t in range(count - 1, 1, -1):
        states[t - 2] = back[t, states[t - 1], states[t]]
    return states.astype(bool)


def _prediction_costs(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """(2, 2, 2, T-2) constant-velocity prediction errors of frames 2..T-1 of (T, P, 2) limb points, for the
    states of frames t-2, t-1 and t (mean over the points seen; 0 where none is)."""
    both = np.stack([np.stack([left, right], axis=1), np.stack([right, left], axis=1)])  # (state, T, limb, P, 2)
    cost = np.zeros((2, 2, 2, len(left) - 2))
    for a in (0, 1):
        for b in (0, 1):
            predicted = 2.0 * both[b, 1:-1] - both[a, :-2]  # (T-2, limb, P, 2) for frames 2..T-1
            for c in (0, 1):
                error = np.linalg.norm(both[c, 2:] - predicted, axis=-1)  # (T-2, limb, P)
                seen = np.isfinite(error)
                total = np.where(seen, error, 0.0).sum(axis=(1, 2))
                cost[a, b, c] = np.where(seen.any(axis=(1, 2)), total / np.maximum(seen.sum(axis=(1, 2)), 1), 0.0)
    return cost


def repair_limb_sides(kp2d: np.ndarray, kp2d_raw33: np.ndarray | None) -> dict[str, np.ndarray]:
    """Exchange, in place, the left and right limb points of (T, 17, 3) ``kp2d`` and (T, 33, 3) ``kp2d_raw33``
    on every frame where continuity says the network swapped them. Returns per limb group the (T,) bool array
    of exchanged frames."""
    exchanged = {}
    for group, (joints, landmarks) in LIMB_GROUPS.items():
        length_px = limb_length_px(kp2d, group)
        if not np.isfinite(length_px) or length_px <= 0:
            exchanged[group] = np.zeros(len(kp2d), dtype=bool)
            continue
        frames = swapped_frames(limb_points_px(kp2d, kp2d_raw33, group, "left"),
                                limb_points_px(kp2d, kp2d_raw33, group, "right"), length_px)
        for name in joints + landmarks:
            _exchange_point(kp2d, kp2d_raw33, name, frames)
        exchanged[group] = frames
    return exchanged


def _exchange_point(kp2d: np.ndarray, kp2d_raw33: np.ndarray | None, name: str, frames: np.ndarray) -> None:
    """Exchange one left/right point pair on ``frames`` in both arrays where the array has that point."""
    if f"left_{name}" in JOINT_INDEX:
        _exchange(kp2d, frames, JOINT_INDEX[f"left_{name}"], JOINT_INDEX[f"right_{name}"])
    if kp2d_raw33 is not None:
        _exchange(kp2d_raw33, frames, BLAZEPOSE_INDEX[f"left_{name}"], BLAZEPOSE_INDEX[f"right_{name}"])


def _exchange(points: np.ndarray, frames: np.ndarray, left: int, right: int) -> None:
    points[frames, left], points[frames, right] = points[frames, right], points[frames, left].copy()
