"""``stsp-coach train`` end to end on a tiny budget: ONNX files, manifest, reproducibility, refusals."""

import json

import numpy as np

from stsp_app.cli import main
from stsp_app.core.paths import shared_data_dir
from stsp_app.lifting.lifter import Lifter, LiveLifter

TRAIN_FILE = shared_data_dir() / "mocap" / "train" / "cmu-bvh" / "007" / "007_12.bvh"


def tiny_training(data_dir, out_dir) -> int:
    return main(["train", "--data", str(data_dir), "--out", str(out_dir), "--models", "gsr,tmp,tmp_offline,tcn9",
                 "--steps-scale", "0.002", "--views", "2", "--threads", "1"])


def one_motion_folder(tmp_path):
    """A training folder holding TRAIN_FILE alone."""
    data_dir = tmp_path / "train"
    data_dir.mkdir()
    (data_dir / TRAIN_FILE.name).symlink_to(TRAIN_FILE)
    return data_dir


def test_train_writes_loadable_models_and_a_manifest_reproducibly(tmp_path):
    data_dir = one_motion_folder(tmp_path)
    assert tiny_training(data_dir, tmp_path / "a") == 0
    assert tiny_training(data_dir, tmp_path / "b") == 0
    manifest = json.loads((tmp_path / "a" / "lifting_manifest.json").read_text())
    assert set(manifest["outputs"]) == {"lifting_gsr.onnx", "lifting_tmp.onnx", "lifting_tmp_offline.onnx", "lifting_tcn9.onnx"}
    assert list(manifest["data_files"]) == ["007_12.bvh"]
    assert manifest["config"]["seed"] == 0 and manifest["config"]["gsr_steps"] == 12
    again = json.loads((tmp_path / "b" / "lifting_manifest.json").read_text())
    assert again["outputs"] == manifest["outputs"]  # same seed, same weights
    keypoints = np.concatenate([np.random.default_rng(0).uniform(100, 400, (12, 17, 2)), np.ones((12, 17, 1))], -1)
    for model in ("gsr-tmp-offline", "gsr-tmp", "tcn9"):
        assert Lifter(model, tmp_path / "a").lift_sequence(keypoints, 30.0).shape == (12, 17, 3)
    # The live TMP, which averages its filter weights with the previous frames', gives frame by frame what the
    # whole clip's causal lifting gives; at 60 fps both take every 2nd frame.
    for fps in (30.0, 60.0):
        offline = Lifter("gsr-tmp", tmp_path / "a").lift_sequence(keypoints, fps, stature_mm=1500.0)
        live = LiveLifter(fps=fps, stature_mm=1500.0, models_dir=tmp_path / "a")
        for frame, expected in zip(keypoints, offline):
            np.testing.assert_allclose(live.push(frame), expected, atol=1e-4)


def test_a_tmp_trained_on_a_saved_gsr_equals_the_one_trained_after_it(tmp_path):
    common = ["train", "--data", str(one_motion_folder(tmp_path)), "--steps-scale", "0.002", "--views", "2"]
    assert main([*common, "--out", str(tmp_path / "all"), "--models", "gsr,tmp,tmp_offline", "--save-checkpoint"]) == 0
    assert main([*common, "--out", str(tmp_path / "alone"), "--models", "tmp_offline",
                 "--gsr-checkpoint", str(tmp_path / "all" / "lifting_torch.pt")]) == 0
    outputs = [json.loads((tmp_path / run / "lifting_manifest.json").read_text())["outputs"] for run in ("all", "alone")]
    assert outputs[0]["lifting_tmp_offline.onnx"] == outputs[1]["lifting_tmp_offline.onnx"]


def test_train_refuses_evaluation_data_and_bad_options(tmp_path, capsys):
    assert main(["train", "--data", str(shared_data_dir() / "mocap" / "eval"), "--out", str(tmp_path)]) == 2
    assert "evaluation data" in capsys.readouterr().err
    assert main(["train", "--data", str(tmp_path / "none"), "--out", str(tmp_path)]) == 2
    assert main(["train", "--models", "gsr,resnet", "--out", str(tmp_path)]) == 2
    assert main(["train", "--gsr-dropout", "1.5", "--out", str(tmp_path)]) == 2
    assert "--gsr-dropout" in capsys.readouterr().err
    assert main(["train", "--tmp-frame-steps", "0,2", "--out", str(tmp_path)]) == 2
    assert "--tmp-frame-steps" in capsys.readouterr().err
    assert main(["train", "--tmp-weight-smoothing", "-1", "--out", str(tmp_path)]) == 2
    assert "--tmp-weight-smoothing" in capsys.readouterr().err
