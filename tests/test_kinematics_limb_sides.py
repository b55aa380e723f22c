"""Left/right limb swaps of the 2D stage undone by continuity: injected swaps (single frames and runs of frames)
are found, and tracks the network labelled right, gaps and all, are left alone."""

import numpy as np

from stsp_app.core.skeleton import BLAZEPOSE_INDEX, JOINT_INDEX, NUM_BLAZEPOSE_LANDMARKS, NUM_JOINTS
from stsp_app.kinematics import limb_sides
from stsp_app.kinematics.limb_sides import repair_limb_sides

FPS = 30.0


def running_legs(frames: int = 120) -> tuple[np.ndarray, np.ndarray]:
    """A runner seen from the side: the legs swing in antiphase (they cross twice per stride), arms likewise."""
    t = np.arange(frames) / FPS
    kp2d = np.zeros((frames, NUM_JOINTS, 3))
    raw33 = np.zeros((frames, NUM_BLAZEPOSE_LANDMARKS, 3))
    kp2d[..., 2] = raw33[..., 2] = 0.95
    hip_y, knee_y, ankle_y = 300.0, 380.0, 460.0
    for side, phase in (("left", 0.0), ("right", np.pi)):
        swing = np.sin(2 * np.pi * 1.6 * t + phase)
        points = {f"{side}_hip": (400.0, hip_y), f"{side}_knee": (400 + 40 * swing, knee_y),
                  f"{side}_ankle": (400 + 70 * swing, ankle_y - 15 * np.cos(2 * np.pi * 1.6 * t + phase)),
                  f"{side}_shoulder": (400.0, 150.0), f"{side}_elbow": (400 - 30 * swing, 210.0),
                  f"{side}_wrist": (400 - 50 * swing, 260.0)}
        for name, (x, y) in points.items():
            kp2d[:, JOINT_INDEX[name], 0], kp2d[:, JOINT_INDEX[name], 1] = x, y
            if name in BLAZEPOSE_INDEX:
                raw33[:, BLAZEPOSE_INDEX[name], 0], raw33[:, BLAZEPOSE_INDEX[name], 1] = x, y
        for name, dx, dy in (("heel", -10.0, 10.0), ("foot_index", 25.0, 15.0)):
            raw33[:, BLAZEPOSE_INDEX[f"{side}_{name}"], 0] = kp2d[:, JOINT_INDEX[f"{side}_ankle"], 0] + dx
            raw33[:, BLAZEPOSE_INDEX[f"{side}_{name}"], 1] = kp2d[:, JOINT_INDEX[f"{side}_ankle"], 1] + dy
        for name in ("pinky", "index", "thumb"):
            raw33[:, BLAZEPOSE_INDEX[f"{side}_{name}"]] = raw33[:, BLAZEPOSE_INDEX[f"{side}_wrist"]] + [10, 10, 0]
    for name in ("pelvis", "spine", "thorax", "neck_nose", "head"):
        kp2d[:, JOINT_INDEX[name], :2] = (400.0, 250.0)
    return kp2d, raw33


def swap_legs(kp2d, raw33, frames):
    for name in ("knee", "ankle"):
        left, right = JOINT_INDEX[f"left_{name}"], JOINT_INDEX[f"right_{name}"]
        kp2d[frames, left], kp2d[frames, right] = kp2d[frames, right], kp2d[frames, left].copy()
    for name in ("knee", "ankle", "heel", "foot_index"):
        left, right = BLAZEPOSE_INDEX[f"left_{name}"], BLAZEPOSE_INDEX[f"right_{name}"]
        raw33[frames, left], raw33[frames, right] = raw33[frames, right], raw33[frames, left].copy()


def test_injected_swaps_are_undone_and_nothing_else_is_touched():
    truth_2d, truth_33 = running_legs()
    kp2d, raw33 = truth_2d.copy(), truth_33.copy()
    swapped = np.zeros(len(kp2d), dtype=bool)
    swapped[[20, 47, 48, 49, 90]] = True  # single frames and a run of three, away from the crossings
    swap_legs(kp2d, raw33, swapped)
    exchanged = repair_limb_sides(kp2d, raw33)
    assert np.array_equal(exchanged["leg"], swapped)
    assert not exchanged["arm"].any()
    np.testing.assert_array_equal(kp2d, truth_2d)
    np.testing.assert_array_equal(raw33, truth_33)


def test_clean_tracks_stay_as_labelled_and_gaps_restart():
    kp2d, raw33 = running_legs()
    kp2d[60:65] = np.nan  # nobody found for five frames
    raw33[60:65] = np.nan
    exchanged = repair_limb_sides(kp2d.copy(), raw33.copy())
    assert not exchanged["leg"].any() and not exchanged["arm"].any()


def test_a_long_clip_is_costed_in_blocks_with_the_same_result(monkeypatch):
    """The prediction costs are computed in blocks of frames (a match's temporaries stay small); a swap on a
    block's edge is found as when the clip is costed in one piece."""
    kp2d, raw33 = running_legs()
    swapped = np.zeros(len(kp2d), dtype=bool)
    swapped[[20, 37, 38, 90]] = True
    swap_legs(kp2d, raw33, swapped)
    whole = repair_limb_sides(kp2d.copy(), raw33.copy())
    monkeypatch.setattr(limb_sides, "COST_BLOCK_FRAMES", 19)  # edges at frames 21, 40, ... and 97
    in_blocks = repair_limb_sides(kp2d.copy(), raw33.copy())
    assert np.array_equal(in_blocks["leg"], whole["leg"]) and np.array_equal(whole["leg"], swapped)
