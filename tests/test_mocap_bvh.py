"""BVH importer: exact forward kinematics on hand-made files, then the three real CMU rigs."""

import numpy as np
import pytest
from mocap_checks import (
    DATA,
    LIMB_BONES,
    assert_sane,
    bone_length_mm,
    foot_length_mm,
    fraction_moving_forward,
    head_to_ankles_mm,
)

from stsp_app.errors import InputError
from stsp_app.mocap import load_motion
from stsp_app.mocap.bvh import read_bvh
from stsp_app.mocap.bvh_rigs import CC_BASE, CMU_HIPS, POSER_HIP

CHAIN_BVH = """HIERARCHY
ROOT A
{
  OFFSET 0 1 0
  CHANNELS 6 Zposition Xposition Yposition Zrotation Yrotation Xrotation
  JOINT B
  {
    OFFSET 10 0 0
    CHANNELS 3 %s
    End Site
    {
      OFFSET 5 0 0
    }
  }
}
MOTION
Frames: 3
Frame Time: 0.0083333
0 0 0 0 0 0 0 0 0
3 1 2 90 0 0 0 0 0
0 0 0 0 0 0 %s
"""


def write_chain(tmp_path, b_channels: str, b_frame_3: str, name: str = "chain.bvh"):
    path = tmp_path / name
    path.write_text(CHAIN_BVH % (b_channels, b_frame_3))
    return path


def test_bvh_forward_kinematics_by_hand(tmp_path):
    bvh = read_bvh(write_chain(tmp_path, "Xrotation Yrotation Zrotation", "90 90 0"))
    assert bvh.joint_names == ["A", "B", "B_End"]
    assert bvh.parents == [-1, 0, 1]
    assert bvh.frame_time_s == pytest.approx(0.0083333)
    positions = bvh.joint_positions()
    # Frame 1: rest pose, the root OFFSET (0,1,0) is added to the position channels.
    np.testing.assert_allclose(positions[0], [[0, 1, 0], [10, 1, 0], [15, 1, 0]], atol=1e-6)
    # Frame 2: channels in the order Z, X, Y position -> root at (1, 2+1, 3); Rz(90) takes x to y.
    np.testing.assert_allclose(positions[1], [[1, 3, 3], [1, 13, 3], [1, 18, 3]], atol=1e-6)
    # Frame 3: B listed "X Y Z" = Rx(90) @ Ry(90) @ Rz(0), which takes x to +y.
    np.testing.assert_allclose(positions[2], [[0, 1, 0], [10, 1, 0], [10, 6, 0]], atol=1e-6)


def test_bvh_rotation_order_follows_the_channel_list(tmp_path):
    # The same angles (x=90, y=90) listed "Z Y X": Rz(0) @ Ry(90) @ Rx(90) takes x to -z.
    bvh = read_bvh(write_chain(tmp_path, "Zrotation Yrotation Xrotation", "0 90 90"))
    np.testing.assert_allclose(bvh.joint_positions()[2, 2], [10, 1, -5], atol=1e-6)


def test_unknown_rig_names_the_missing_joints(tmp_path):
    with pytest.raises(InputError, match="unknown BVH rig"):
        load_motion(write_chain(tmp_path, "Xrotation Yrotation Zrotation", "0 0 0"))
    renamed = tmp_path / "131_02.bvh"
    renamed.write_text((DATA / "mocap/train/cmu-bvh/131/131_02.bvh").read_text().replace("LeftKnee", "LKnee"))
    with pytest.raises(InputError, match="'cmu-hips', needs joints this file lacks: LeftKnee$"):
        load_motion(renamed)


def test_truncated_bvh_is_an_input_error(tmp_path):
    text = (DATA / "mocap/train/cmu-bvh/131/131_02.bvh").read_text()
    truncated = tmp_path / "131_02.bvh"
    truncated.write_text(text[: len(text) * 2 // 3])
    with pytest.raises(InputError, match="truncated or malformed MOTION"):
        load_motion(truncated)
    (tmp_path / "no_motion.bvh").write_text(text[: text.index("MOTION")])
    with pytest.raises(InputError, match="no MOTION section"):
        load_motion(tmp_path / "no_motion.bvh")
    (tmp_path / "broken.bvh").write_text(text.replace("OFFSET", "OFSET", 3))
    with pytest.raises(InputError, match="expected 'OFFSET'"):
        load_motion(tmp_path / "broken.bvh")


def test_missing_bvh_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_motion(tmp_path / "nowhere.bvh")


@pytest.mark.parametrize(
    ("relative_path", "rig", "fps", "femur_range_mm", "height_range_mm"),
    [
        # iClone CC_Base character: 477 mm femur, head joint at eye level.
        ("mocap/train/cmu-bvh/007/007_01.bvh", CC_BASE, 60.0, (450, 500), (1450, 1750)),
        ("mocap/train/cmu-bvh/005/005_02.bvh", CC_BASE, 60.0, (450, 500), (1350, 1750)),
        # Subject 131, CMU ASF units; its torso chain lacks one CMU segment (docs/formats.md).
        ("mocap/train/cmu-bvh/131/131_01.bvh", CMU_HIPS, 120.0, (380, 440), (1150, 1450)),
        # Poser-style rig, centimetres, head joint at eye level.
        ("mocap/eval/cmu-bvh/11_01.bvh", POSER_HIP, 120.0, (350, 400), (1250, 1550)),
    ],
)
def test_real_bvh_rigs(relative_path, rig, fps, femur_range_mm, height_range_mm):
    motion = load_motion(DATA / relative_path)
    assert_sane(motion)
    assert motion.source_format == f"bvh/{rig.name}"
    assert motion.fps == pytest.approx(fps, rel=1e-3)
    for a, b in LIMB_BONES:
        lengths = bone_length_mm(motion, a, b)
        assert lengths.max() - lengths.min() < 1.0, (a, b)
    femur = bone_length_mm(motion, "left_hip", "left_knee").mean()
    assert femur_range_mm[0] < femur < femur_range_mm[1]
    assert height_range_mm[0] < np.percentile(head_to_ankles_mm(motion), 90) < height_range_mm[1]
    # the toes, 12-19 cm from the ankle (the iClone rig's index toe base, the others' tips; they bend with the
    # toe joint where the rig has one)
    feet = foot_length_mm(motion)
    assert (100 < feet).all() and (feet < 220).all()


@pytest.mark.parametrize(
    "relative_path",
    ["mocap/train/cmu-bvh/007/007_02.bvh", "mocap/train/cmu-bvh/131/131_02.bvh", "mocap/eval/cmu-bvh/10_03.bvh"],
)
def test_left_is_the_subjects_left_when_walking(relative_path):
    fraction, frames = fraction_moving_forward(load_motion(DATA / relative_path))
    assert frames > 50
    assert fraction > 0.8


def test_converter_tpose_is_dropped_only_where_present():
    with_tpose = load_motion(DATA / "mocap/train/cmu-bvh/007/007_03.bvh")
    assert with_tpose.num_frames == read_bvh(DATA / "mocap/train/cmu-bvh/007/007_03.bvh").num_frames - 1
    assert len(with_tpose.toes_mm) == with_tpose.num_frames
    steps = np.linalg.norm(np.diff(with_tpose.joints_mm, axis=0), axis=-1).max(axis=-1)
    assert steps.max() < 150.0  # no jump from the T-pose at the origin into the take
    without_tpose = load_motion(DATA / "mocap/train/cmu-bvh/005/005_01.bvh")
    assert without_tpose.num_frames == read_bvh(DATA / "mocap/train/cmu-bvh/005/005_01.bvh").num_frames
