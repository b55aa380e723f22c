"""Left and right kept apart through a whole clip: the 2D network's limb swaps found and undone by continuity.

In a side view the far leg (or arm) is hidden behind the near one, and BlazePose now and then labels the near
limb "left" on one frame and "right" on the next: ankles trade sides for a frame or a few where the legs
cross, which breaks every left/right figure (contact times, symmetry). A person seen from behind is now and then
labelled as if facing the camera, or flickers between the two from frame to frame (the youth basketball clip's
player with her back turned): then every left/right pair trades places at once. Each limb moves smoothly, so over
a whole clip the assignment of the points to "left" and "right" that moves most smoothly is the right one.

Each frame has a state of three choices: whether the whole body's labels are exchanged (every pair: the trunk's
shoulders and hips, the face, the limbs), and whether the legs (knee, ankle, heel, toe) and the arms (elbow,
wrist, pinky, index, thumb) are exchanged once more on top of that. The states of the whole clip are chosen
together (Viterbi, second order): each frame costs, per group (the trunk, the legs, the arms), the distance of
its points from where the two previous frames, as assigned, put them at constant velocity, in limb lengths, plus
SWAP_PRIOR for each choice that goes against the network's own labels (which are right most of the time: where
the limbs cross and continuity cannot tell, the labels stand). So a single leg swapped where the legs cross is
one choice (the legs), not a flip of the whole body with the arms put back, and a flip of the whole body is one
choice, not three. A gap without a person starts afresh. Offline only: the choice for a frame uses the frames
after it.
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
# The trunk's pairs: only a flip of the whole body moves them. Not the face's: the network places a face whether or
# not one is in the picture (docs/RESULTS.md, "Left and right"), and its points lie too close together for a flip to
# move them much; they are exchanged with the body all the same.
TRUNK_POINTS: tuple[tuple[str, ...], tuple[str, ...]] = (("shoulder", "hip"), ())
# Every left/right pair of BlazePose's landmarks (which hold the 17 joints' pairs); the mouth's corners apart.
_ALL_PAIRS = tuple(name.removeprefix("left_") for name in BLAZEPOSE_INDEX if name.startswith("left_"))
# A frame's state: bit 0 the whole body exchanged, bit 1 the legs exchanged on top of it, bit 2 the arms.
_STATES = np.arange(8)
_BODY, _LEGS, _ARMS = _STATES & 1, (_STATES >> 1) & 1, (_STATES >> 2) & 1
_GROUP_EXCHANGED = {"trunk": _BODY, "leg": _BODY ^ _LEGS, "arm": _BODY ^ _ARMS}  # a group's points exchanged
# The cost of going against the network's label on one frame, in limb lengths of prediction error: a real swap
# moves the points by the distance between the two limbs (0.2-1 limb lengths) on its frame and the next two,
# while a wrong run of exchanged frames after a crossing costs this on each of its frames. Chosen on the hand
# labels of the two sprint clips (0.05, 0.1, 0.2, 0.4 tried; docs/RESULTS.md, "Left and right").
SWAP_PRIOR = 0.1
COST_BLOCK_FRAMES = 512  # (8, 8, 8) costs a frame: 2 MB a block
# Names the method in the app's analysis cache key (analysis_settings.AnalysisSettings.cache_key): a video
# analysed with an earlier repair is analysed again. Change it with the method.
REPAIR_METHOD = "whole body, legs and arms chosen together; each state costed on the pairs seen (session 27)"


def limb_points_px(kp2d: np.ndarray, kp2d_raw33: np.ndarray | None, group: str, side: str) -> np.ndarray:
    """(T, P, 2) image points of one limb; NaN where unseen or below the confidence floor."""
    return _points_px(kp2d, kp2d_raw33, *LIMB_GROUPS[group], side)


def _points_px(kp2d: np.ndarray, kp2d_raw33: np.ndarray | None, joints: tuple[str, ...], landmarks: tuple[str, ...],
               side: str) -> np.ndarray:
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


def _chosen_states(points_by_group: dict[str, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """(T,) the frames' states (:data:`_STATES`) from each group's left and right points (T, P, 2 each, in the
    group's limb lengths; NaN unseen)."""
    count = len(next(iter(points_by_group.values()))[0])
    states = np.zeros(count, dtype=np.int64)
    present = np.zeros(count, dtype=bool)
    for left, right in points_by_group.values():
        present |= np.isfinite(left).any(axis=(1, 2)) & np.isfinite(right).any(axis=(1, 2))
    for run in consecutive_runs(present):
        if run.stop - run.start >= 3:
            states[run] = _viterbi({group: (left[run], right[run]) for group, (left, right) in points_by_group.items()})
    return states


def _viterbi(points_by_group: dict[str, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Second-order Viterbi over the states of one run of frames."""
    count = len(next(iter(points_by_group.values()))[0])
    prior = SWAP_PRIOR * (_BODY + _LEGS + _ARMS)
    # best[b, c]: cheapest path ending with states b at t-1 and c at t
    best = prior[:, None] + prior[None, :]
    back = np.zeros((count, 8, 8), dtype=np.int8)
    for first in range(2, count, COST_BLOCK_FRAMES):  # in blocks of frames: a match's temporaries stay small
        last = min(first + COST_BLOCK_FRAMES, count)
        cost = np.zeros((8, 8, 8, last - first))  # cost[a, b, c, t]: states a (t-2), b (t-1), c (t)
        for group, (left, right) in points_by_group.items():
            exchanged = _GROUP_EXCHANGED[group]
            group_cost = _prediction_costs(left[first - 2:last], right[first - 2:last])
            cost += group_cost[np.ix_(exchanged, exchanged, exchanged)]
        for t in range(first, last):
            options = best[:, :, None] + cost[..., t - first]  # (a, b, c)
            back[t] = np.argmin(options, axis=0)
            best = options.min(axis=0) + prior[None, :]
    states = np.zeros(count, dtype=np.int64)
    states[-2], states[-1] = np.unravel_index(int(np.argmin(best)), best.shape)
    for t in range(count - 1, 1, -1):
        states[t - 2] = back[t, states[t - 1], states[t]]
    return states


def _prediction_costs(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """(2, 2, 2, T-2) constant-velocity prediction errors of frames 2..T-1 of (T, P, 2) limb points, for the
    states of frames t-2, t-1 and t: the mean over the points whose left and right are both seen on all three
    frames (0 where none is). Every state is costed on the same points: a point seen on one side only would cost
    nothing where the exchange puts it opposite an unseen one, and the far arm, hidden in a side view, would then
    be exchanged for the price of the prior alone."""
    both = np.stack([np.stack([left, right], axis=1), np.stack([right, left], axis=1)])  # (state, T, limb, P, 2)
    pair_seen = np.isfinite(left).all(axis=-1) & np.isfinite(right).all(axis=-1)  # (T, P)
    compared = (pair_seen[:-2] & pair_seen[1:-1] & pair_seen[2:])[:, None, :]  # (T-2, 1, P)
    count = 2 * compared.sum(axis=(1, 2))
    cost = np.zeros((2, 2, 2, len(left) - 2))
    for a in (0, 1):
        for b in (0, 1):
            predicted = 2.0 * both[b, 1:-1] - both[a, :-2]  # (T-2, limb, P, 2) for frames 2..T-1
            for c in (0, 1):
                error = np.linalg.norm(both[c, 2:] - predicted, axis=-1)  # (T-2, limb, P)
                cost[a, b, c] = np.where(compared, error, 0.0).sum(axis=(1, 2)) / np.maximum(count, 1)
    return cost


def repair_limb_sides(kp2d: np.ndarray, kp2d_raw33: np.ndarray | None) -> dict[str, np.ndarray]:
    """Exchange, in place, the left and right points of (T, 17, 3) ``kp2d`` and (T, 33, 3) ``kp2d_raw33`` on every
    frame where continuity says the network swapped them. Returns the (T,) bool arrays of the frames on which the
    whole body ("body": every pair, the face's too) and the legs' and the arms' points ("leg", "arm", the body's
    exchange included) were exchanged."""
    leg_px, arm_px = limb_length_px(kp2d, "leg"), limb_length_px(kp2d, "arm")
    points_by_group = {}
    for group, names, length_px in (("trunk", TRUNK_POINTS, leg_px), ("leg", LIMB_GROUPS["leg"], leg_px),
                                    ("arm", LIMB_GROUPS["arm"], arm_px)):
        if np.isfinite(length_px) and length_px > 0:
            points_by_group[group] = tuple(_points_px(kp2d, kp2d_raw33, *names, side) / length_px
                                           for side in ("left", "right"))
    states = _chosen_states(points_by_group) if points_by_group else np.zeros(len(kp2d), dtype=np.int64)
    exchanged = {"body": _BODY[states].astype(bool), "leg": _GROUP_EXCHANGED["leg"][states].astype(bool),
                 "arm": _GROUP_EXCHANGED["arm"][states].astype(bool)}
    group_of = {name: group for group, (joints, landmarks) in LIMB_GROUPS.items() for name in joints + landmarks}
    for name in _ALL_PAIRS:  # the trunk's and the face's pairs go with the body
        _exchange_point(kp2d, kp2d_raw33, name, exchanged[group_of.get(name, "body")])
    if kp2d_raw33 is not None:
        _exchange(kp2d_raw33, exchanged["body"], BLAZEPOSE_INDEX["mouth_left"], BLAZEPOSE_INDEX["mouth_right"])
    return exchanged


def _exchange_point(kp2d: np.ndarray, kp2d_raw33: np.ndarray | None, name: str, frames: np.ndarray) -> None:
    """Exchange one left/right point pair on ``frames`` in both arrays where the array has that point."""
    if f"left_{name}" in JOINT_INDEX:
        _exchange(kp2d, frames, JOINT_INDEX[f"left_{name}"], JOINT_INDEX[f"right_{name}"])
    if kp2d_raw33 is not None:
        _exchange(kp2d_raw33, frames, BLAZEPOSE_INDEX[f"left_{name}"], BLAZEPOSE_INDEX[f"right_{name}"])


def _exchange(points: np.ndarray, frames: np.ndarray, left: int, right: int) -> None:
    points[frames, left], points[frames, right] = points[frames, right], points[frames, left].copy()
