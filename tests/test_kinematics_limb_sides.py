"""Left/right limb swaps of the 2D stage undone by continuity: injected swaps (single frames and runs of frames)
are found, flips of the whole body's labels too, and tracks the network labelled right, gaps and all, are left
alone."""

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
    assert not exchanged["arm"].any() and not exchanged["body"].any()  # a leg swap is not a flip of the body
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


def facing_away_with_arms_and_legs_swinging(frames: int = 120) -> tuple[np.ndarray, np.ndarray]:
    """A child seen from behind, stepping on the spot with the arms swinging: the left side on the picture's left,
    shoulders 60 px and hips 40 px apart, the face's landmarks behind the head."""
    t = np.arange(frames) / FPS
    kp2d = np.zeros((frames, NUM_JOINTS, 3))
    raw33 = np.zeros((frames, NUM_BLAZEPOSE_LANDMARKS, 3))
    kp2d[..., 2] = raw33[..., 2] = 0.95
    for side, sign, phase in (("left", -1.0, 0.0), ("right", 1.0, np.pi)):
        swing = np.sin(2 * np.pi * 1.2 * t + phase)
        points = {"shoulder": (400 + 30 * sign, 150.0), "elbow": (400 + 38 * sign, 210 + 6 * swing),
                  "wrist": (400 + 42 * sign, 260 + 12 * swing), "hip": (400 + 20 * sign, 300.0),
                  "knee": (400 + 22 * sign, 380 - 10 * np.maximum(swing, 0)),
                  "ankle": (400 + 24 * sign, 460 - 20 * np.maximum(swing, 0))}
        for name, (x, y) in points.items():
            kp2d[:, JOINT_INDEX[f"{side}_{name}"], 0], kp2d[:, JOINT_INDEX[f"{side}_{name}"], 1] = x, y
            raw33[:, BLAZEPOSE_INDEX[f"{side}_{name}"], :2] = kp2d[:, JOINT_INDEX[f"{side}_{name}"], :2]
        for name in ("heel", "foot_index"):
            raw33[:, BLAZEPOSE_INDEX[f"{side}_{name}"], :2] = kp2d[:, JOINT_INDEX[f"{side}_ankle"], :2] + [0, 8]
        for name in ("pinky", "index", "thumb"):
            raw33[:, BLAZEPOSE_INDEX[f"{side}_{name}"], :2] = kp2d[:, JOINT_INDEX[f"{side}_wrist"], :2] + [0, 10]
        for name, dx in (("eye_inner", 3), ("eye", 6), ("eye_outer", 9), ("ear", 14)):
            raw33[:, BLAZEPOSE_INDEX[f"{side}_{name}"], :2] = (400 + dx * sign, 110.0)
        raw33[:, BLAZEPOSE_INDEX[f"mouth_{side}"], :2] = (400 + 4 * sign, 125.0)
    for name in ("pelvis", "spine", "thorax", "neck_nose", "head"):
        kp2d[:, JOINT_INDEX[name], :2] = (400.0, 250.0)
    return kp2d, raw33


def test_flips_of_the_whole_body_are_undone_every_pair_with_them():
    """The network labels a child seen from behind now one way, now the other, for a frame or a run of frames:
    every left/right pair trades places at once (youth basketball clip, docs/RESULTS.md). The whole body is put
    back, the face's and the mouth's landmarks with it, and no limb is exchanged on top."""
    truth_2d, truth_33 = facing_away_with_arms_and_legs_swinging()
    kp2d, raw33 = truth_2d.copy(), truth_33.copy()
    flipped = np.zeros(len(kp2d), dtype=bool)
    flipped[[15, 40, 41, 42]] = True
    flipped[70:80] = True
    pairs_17 = [(JOINT_INDEX[f"left_{name}"], JOINT_INDEX[f"right_{name}"])
                for name in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")]
    pairs_33 = [(index, BLAZEPOSE_INDEX["right_" + name.removeprefix("left_")])
                for name, index in BLAZEPOSE_INDEX.items() if name.startswith("left_")]
    pairs_33.append((BLAZEPOSE_INDEX["mouth_left"], BLAZEPOSE_INDEX["mouth_right"]))
    for points, pairs in ((kp2d, pairs_17), (raw33, pairs_33)):
        for left, right in pairs:
            points[flipped, left], points[flipped, right] = points[flipped, right], points[flipped, left].copy()
    exchanged = repair_limb_sides(kp2d, raw33)
    assert np.array_equal(exchanged["body"], flipped)
    assert np.array_equal(exchanged["leg"], flipped) and np.array_equal(exchanged["arm"], flipped)
    np.testing.assert_array_equal(kp2d, truth_2d)
    np.testing.assert_array_equal(raw33, truth_33)
