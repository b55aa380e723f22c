"""make-eval-clips and eval-3d end to end on real mocap, and their errors on bad input."""

import json

import numpy as np
import pytest

from stsp_app.cli import main
from stsp_app.core.paths import shared_data_dir
from stsp_app.errors import InputError
from stsp_app.evaluation.clips import load_clip

TRAIN_FILE = shared_data_dir() / "mocap" / "train" / "cmu-bvh" / "007" / "007_12.bvh"
EVAL_FILE = shared_data_dir() / "mocap" / "eval" / "cmu-bvh" / "10_03.bvh"


@pytest.fixture(scope="module")
def clips_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("clips")
    assert main(["make-eval-clips", str(TRAIN_FILE), str(out), "--views", "2", "--seed", "3", "--max-seconds", "2"]) == 0
    assert main(["make-eval-clips", str(EVAL_FILE), str(out), "--noise", "epe", "--max-seconds", "2"]) == 0
    return out


def test_clips_hold_consistent_2d_and_3d(clips_dir):
    paths = sorted(clips_dir.glob("*.npz"))
    assert len(paths) == 3
    clip = load_clip(clips_dir / "007_12_v0.npz")
    assert clip.joints3d_mm.shape == (60, 17, 3) and clip.fps == 30.0
    projected = clip.joints3d_mm @ clip.K.T
    np.testing.assert_allclose(projected[..., :2] / projected[..., 2:], clip.joints2d_px, atol=1e-2)
    noisy = load_clip(clips_dir / "10_03_v0.npz")
    assert noisy.confidence.min() < 0.9


def test_eval_3d_prints_the_metrics(clips_dir, capsys):
    assert main(["eval-3d", str(clips_dir), "--json", "--window", "5"]) == 0
    result = json.loads(capsys.readouterr().out)
    for key in ("mpjpe_mm", "pmpjpe_mm", "pck3d_150", "auc", "ts_mm_per_frame2", "ts_gt_mm_per_frame2",
                "accel_err", "mpjve_mm", "per_joint_mpjpe_mm"):
        assert key in result
    assert result["clips"] == 3 and len(result["per_joint_mpjpe_mm"]) == 17
    assert 0 < result["pmpjpe_mm"] <= result["mpjpe_mm"] < 200
    assert 0 < result["pck3d_150"] <= 100
    assert 900 < result["guessed_stature_mm"] < 2000 and result["stature_abs_error_mm"] >= 0
    # Given the true stature, the lifter's people have exactly that size.
    assert main(["eval-3d", str(clips_dir), "--json", "--known-stature"]) == 0
    known = json.loads(capsys.readouterr().out)
    assert known["stature_abs_error_mm"] < 1.0 and abs(known["guessed_stature_mm"] - known["stature_mm"]) < 1.0


def test_bad_inputs_are_one_line_errors(tmp_path, capsys):
    assert main(["eval-3d", str(tmp_path / "nowhere")]) == 2
    assert "not found" in capsys.readouterr().err
    assert main(["eval-3d", str(tmp_path)]) == 2  # empty folder
    np.savez(tmp_path / "broken.npz", joints3d_mm=np.zeros((4, 17, 3)), fps=30.0)
    with pytest.raises(InputError, match="missing joints2d_px, K"):
        load_clip(tmp_path / "broken.npz")
    assert main(["eval-3d", str(tmp_path)]) == 2
    assert "broken.npz" in capsys.readouterr().err
    assert main(["eval-3d", str(tmp_path), "--window", "3"]) == 2
    assert main(["make-eval-clips", str(tmp_path / "nothing.bvh"), str(tmp_path / "out")]) == 2
