"""HumanEva-I (VideoPose3D npz) importer on the real file."""

import numpy as np
import pytest
from mocap_checks import DATA, assert_sane, bone_length_mm, fraction_moving_forward, head_to_ankles_mm

from stsp_app.errors import InputError
from stsp_app.mocap import iter_motions, load_motion

NPZ = DATA / "eval/humaneva/data_3d_humaneva15.npz"


def test_every_subject_and_action_is_one_motion():
    motions = list(iter_motions(NPZ))
    assert len(motions) == 77
    assert {m.subject for m in motions} == {"S1", "S2", "S3"}
    for motion in motions:
        assert_sane(motion)
        assert motion.fps == 60.0
        assert motion.source_format == "humaneva15-npz"


@pytest.mark.parametrize(
    "name", ["Train/S1/Walking 1 chunk0", "Validate/S2/Walking 1 chunk0", "Train/S3/Jog 1 chunk0"]
)
def test_walking_subjects_are_upright_and_left_is_left(name):
    motion = load_motion(NPZ, motion_name=name)
    assert motion.name == name
    fraction, frames = fraction_moving_forward(motion)
    assert frames > 200
    assert fraction > 0.95
    femur = bone_length_mm(motion, "left_hip", "left_knee")
    assert 350 < femur.mean() < 550
    # Joints derived from markers: bone lengths vary (femur std up to ~20 mm when jogging), unlike a rigid rig.
    assert femur.std() < 30.0
    # HumanEva's head joint is near the head's centre.
    assert 1300 < np.percentile(head_to_ankles_mm(motion), 90) < 1800
    # +Y up: the pelvis is about a leg's length above the ankles.
    assert 700 < np.median(motion.joints_mm[:, 0, 1] - motion.joints_mm[:, 3, 1]) < 1100


def test_an_npz_of_many_motions_needs_a_name():
    with pytest.raises(InputError, match="holds 77 motions"):
        load_motion(NPZ)
    with pytest.raises(InputError, match="no motion named"):
        load_motion(NPZ, motion_name="Train/S9/Dance")


def test_npz_without_3d_poses_is_an_input_error(tmp_path):
    np.savez(tmp_path / "other.npz", something=np.zeros(3))
    with pytest.raises(InputError, match="no positions_3d"):
        load_motion(tmp_path / "other.npz")
    (tmp_path / "junk.npz").write_text("not a zip")
    with pytest.raises(InputError, match="unreadable npz"):
        load_motion(tmp_path / "junk.npz")
