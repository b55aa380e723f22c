"""load_motion / iter_motions: dispatch by file type and walking a folder tree."""

import pytest
from mocap_checks import DATA

from stsp_app.errors import InputError
from stsp_app.mocap import Motion, iter_motions, load_motion


def test_iter_motions_walks_a_folder_and_skips_non_motion_files():
    motions = list(iter_motions(DATA / "mocap/eval"))
    assert [m.name for m in motions] == ["10_01", "10_03", "11_01"]
    assert all(isinstance(m, Motion) and m.fps == pytest.approx(120.0, rel=1e-3) for m in motions)
    # eval/humaneva also holds the 2D ground truth npz, which holds no 3D motion.
    assert len(list(iter_motions(DATA / "eval/humaneva"))) == 77


def test_iter_motions_skips_tables_that_are_not_kinect_csv(tmp_path):
    (tmp_path / "trials.csv").write_bytes((DATA / "mocap/train/cmu-bvh/trials.csv").read_bytes())
    (tmp_path / "01.asf").write_bytes((DATA / "mocap/train/cmu-asfamc/01/01.asf").read_bytes())
    assert list(iter_motions(tmp_path)) == []


def test_bad_paths_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_motion(tmp_path / "missing.bvh")
    with pytest.raises(InputError, match="not found"):
        list(iter_motions(tmp_path / "missing_folder"))
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(InputError, match="not a motion file"):
        load_motion(tmp_path / "notes.txt")


def test_motion_rejects_bad_arrays():
    import numpy as np

    with pytest.raises(InputError, match="shape"):
        Motion("x", 30.0, np.zeros((5, 16, 3)), "test", "s")
    with pytest.raises(InputError, match="non-finite"):
        Motion("x", 30.0, np.full((5, 17, 3), np.nan), "test", "s")
    with pytest.raises(InputError, match="no frames"):
        Motion("x", 30.0, np.zeros((0, 17, 3)), "test", "s")
    with pytest.raises(InputError, match="toes"):
        Motion("x", 30.0, np.zeros((5, 17, 3)), "test", "s", toes_mm=np.zeros((4, 2, 3)))
