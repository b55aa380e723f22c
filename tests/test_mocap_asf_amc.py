"""ASF/AMC importer: exact forward kinematics on a hand-made skeleton, then CMU subjects 01-03."""

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
from stsp_app.mocap.asf_amc import bone_end_positions, read_amc, read_asf

# Units: length 0.45 -> a length of 0.9 is 2 inches = 50.8 mm, 0.45 is 25.4 mm.
# Bone a: along +x, free in x, y, z. Bone b: along +z, its local frame C = Rz(90), free about its local x.
TWO_BONE_ASF = """:version 1.10
:name test
:units
  mass 1.0
  length 0.45
  angle deg
:root
   order TX TY TZ RX RY RZ
   axis XYZ
   position 0 0 0
   orientation 0 0 0
:bonedata
  begin
     id 1
     name a
     direction 1 0 0
     length 0.9
     axis 0 0 0 XYZ
    dof rx ry rz
  end
  begin
     id 2
     name b
     direction 0 0 1
     length 0.45
     axis 0 0 90 XYZ
    dof rx
  end
:hierarchy
  begin
    root a
    a b
  end
"""

TWO_BONE_AMC = """:FULLY-SPECIFIED
:DEGREES
1
root 0 0 0 0 0 0
a 0 0 90
b 0
2
root 0 0 0 0 0 0
a 0 0 0
b 90
3
root 0.45 0 0 0 90 0
a 0 0 0
b 0
4
root 0 0 0 0 0 0
a 90 90 0
b 0
"""


def two_bone_ends(tmp_path):
    (tmp_path / "t.asf").write_text(TWO_BONE_ASF)
    (tmp_path / "t_01.amc").write_text(TWO_BONE_AMC)
    skeleton = read_asf(tmp_path / "t.asf")
    assert skeleton.mm_per_unit == pytest.approx(25.4 / 0.45)
    return bone_end_positions(skeleton, read_amc(tmp_path / "t_01.amc", skeleton))


def test_asf_amc_forward_kinematics_by_hand(tmp_path):
    ends = two_bone_ends(tmp_path)
    expected_root = [[0, 0, 0], [0, 0, 0], [25.4, 0, 0], [0, 0, 0]]
    expected_a = [
        [0, 50.8, 0],  # Rz(90) turns a (+x) to +y
        [50.8, 0, 0],  # rest
        [25.4, 0, -50.8],  # root moved 0.45 units = 25.4 mm along x and turned Ry(90): +x -> -z
        [0, 0, -50.8],  # a: x=90, y=90 applied x first: Rz(0) Ry(90) Rx(90) takes +x to -z
    ]
    expected_b = [
        [0, 50.8, 25.4],  # b's +z is not moved by Rz(90)
        [76.2, 0, 0],  # b's rx=90 is about C's x axis, i.e. world +y: Ry(90) takes +z to +x
        [50.8, 0, -50.8],  # the root's Ry(90) takes b's +z to +x
        [0, -25.4, -50.8],  # Ry(90) Rx(90) takes +z to -y
    ]
    np.testing.assert_allclose(ends["root"], expected_root, atol=1e-6)
    np.testing.assert_allclose(ends["a"], expected_a, atol=1e-6)
    np.testing.assert_allclose(ends["b"], expected_b, atol=1e-6)


def test_asf_axis_order_letters_follow_the_values(tmp_path):
    # "axis 90 0 0 ZYX" names a 90-degree turn about Z first: the same frame as "0 0 90 XYZ" for one axis.
    (tmp_path / "t.asf").write_text(TWO_BONE_ASF.replace("axis 0 0 90 XYZ", "axis 90 0 0 ZYX"))
    (tmp_path / "t_01.amc").write_text(TWO_BONE_AMC)
    skeleton = read_asf(tmp_path / "t.asf")
    ends = bone_end_positions(skeleton, read_amc(tmp_path / "t_01.amc", skeleton))
    np.testing.assert_allclose(ends["b"][1], [76.2, 0, 0], atol=1e-6)


def test_truncated_amc_and_missing_skeleton_are_input_errors(tmp_path):
    (tmp_path / "t.asf").write_text(TWO_BONE_ASF)
    (tmp_path / "t_01.amc").write_text(TWO_BONE_AMC.rsplit("b 0", 1)[0])
    skeleton = read_asf(tmp_path / "t.asf")
    with pytest.raises(InputError, match="frame 4 lacks bone 'b'"):
        read_amc(tmp_path / "t_01.amc", skeleton)
    (tmp_path / "t_01.amc").write_text(TWO_BONE_AMC.replace("b 90", "b 90 1"))
    with pytest.raises(InputError, match="b has 2 values, expected 1"):
        read_amc(tmp_path / "t_01.amc", skeleton)
    # A CMU-named AMC without its ASF.
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "09_01.amc").write_text(TWO_BONE_AMC)
    with pytest.raises(InputError, match="looked for 09.asf"):
        load_motion(lone / "09_01.amc")
    # A skeleton that is not CMU's cannot be mapped to the 17 joints.
    with pytest.raises(InputError, match="not a CMU-style skeleton"):
        load_motion(tmp_path / "t_01.amc", asf_path=tmp_path / "t.asf")
    with pytest.raises(InputError, match="not found"):
        load_motion(tmp_path / "t_99.amc")


@pytest.mark.parametrize("trial", ["01/01_01", "02/02_01", "03/03_01"])
def test_real_cmu_asf_amc(trial):
    motion = load_motion(DATA / f"mocap/train/cmu-asfamc/{trial}.amc")
    assert_sane(motion)
    assert motion.fps == 120.0
    assert motion.subject == trial.split("/")[0]
    for a, b in LIMB_BONES:
        lengths = bone_length_mm(motion, a, b)
        assert lengths.max() - lengths.min() < 1e-2, (a, b)  # one rigid ASF bone each
    assert 350 < bone_length_mm(motion, "left_hip", "left_knee").mean() < 550
    # Head top to ankles of a standing adult: stature minus ~7 cm of ankle height.
    assert 1400 < np.percentile(head_to_ankles_mm(motion), 90) < 1800
    feet = foot_length_mm(motion)  # ankle to toe tip, bending at the toes
    assert (150 < feet).all() and (feet < 250).all()


@pytest.mark.parametrize("trial", ["02/02_01", "03/03_02"])
def test_left_is_the_subjects_left_when_walking(trial):
    fraction, frames = fraction_moving_forward(load_motion(DATA / f"mocap/train/cmu-asfamc/{trial}.amc"))
    assert frames > 100
    assert fraction > 0.95


def test_explicit_asf_path(tmp_path):
    amc = tmp_path / "walk.amc"
    amc.write_bytes((DATA / "mocap/train/cmu-asfamc/02/02_01.amc").read_bytes())
    motion = load_motion(amc, asf_path=DATA / "mocap/train/cmu-asfamc/02/02.asf")
    reference = load_motion(DATA / "mocap/train/cmu-asfamc/02/02_01.amc")
    np.testing.assert_array_equal(motion.joints_mm, reference.joints_mm)


def test_radian_skeletons_give_the_same_positions(tmp_path):
    in_degrees = two_bone_ends(tmp_path)
    radians = tmp_path / "radians"
    radians.mkdir()
    (radians / "t.asf").write_text(
        TWO_BONE_ASF.replace("angle deg", "angle rad").replace("axis 0 0 90 XYZ", f"axis 0 0 {np.pi / 2!r} XYZ")
    )
    amc = "\n".join(
        line if line.startswith(("root", ":")) or line.isdigit() else
        " ".join([line.split()[0]] + [repr(float(np.deg2rad(float(v)))) for v in line.split()[1:]])
        for line in TWO_BONE_AMC.splitlines()
    )
    # The root's translation stays a length; its rotation (frame 3: 90 degrees about Y) becomes radians.
    (radians / "t_01.amc").write_text(amc.replace("root 0.45 0 0 0 90 0", f"root 0.45 0 0 0 {np.pi / 2!r} 0"))
    skeleton = read_asf(radians / "t.asf")
    in_radians = bone_end_positions(skeleton, read_amc(radians / "t_01.amc", skeleton))
    for bone in ("root", "a", "b"):
        np.testing.assert_allclose(in_radians[bone], in_degrees[bone], atol=1e-6)
