"""The shipped lifting models: ONNX equals PyTorch, offline and live lifting agree, gaps and stature."""

import json
import hashlib

import numpy as np
import pytest
import torch

from stsp_app.core.paths import REPO_MODELS_DIR, shared_data_dir
from stsp_app.errors import InputError
from stsp_app.lifting.anthropometry import stature_mm
from stsp_app.lifting.dataset import render, resample
from stsp_app.lifting import lifter as lifter_module
from stsp_app.lifting.lifter import Lifter, LiveLifter, context_offsets, smoothing_offsets
from stsp_app.lifting.model_files import MANIFEST_FILE, ONNX_FILE
from stsp_app.lifting.models import GSR, TMP, run_gsr_tmp
from stsp_app.lifting.normalisation import normalise_keypoints
from stsp_app.lifting.training import load_checkpoint
from stsp_app.mocap import load_motion

TRAIN_FILE = shared_data_dir() / "mocap" / "train" / "cmu-bvh" / "007" / "007_12.bvh"


@pytest.fixture(scope="module")
def clip():
    motion = load_motion(TRAIN_FILE)
    joints = resample(motion.joints_mm.astype(np.float64), motion.fps, 30.0)
    rendered = render(joints, 30.0, np.random.default_rng(4))
    keypoints = np.concatenate([rendered.joints2d_px, rendered.confidence[..., None]], axis=-1)
    return keypoints, rendered.joints3d_mm - rendered.joints3d_mm[:, :1]


def _shipped_torch_models(tmp_name: str) -> tuple[GSR, TMP]:
    checkpoint = load_checkpoint(REPO_MODELS_DIR / "lifting_torch.pt")
    config = checkpoint["config"]
    gsr = GSR(hidden=config["hidden"], layers=config["gat_layers"], feature_dim=config["feature_dim"]).eval()
    gsr.load_state_dict(checkpoint["state"]["gsr"])
    future = config["tau"] if tmp_name == "tmp_offline" else 0
    smoothing = config["tmp_weight_smoothing" if tmp_name == "tmp_offline" else "causal_tmp_weight_smoothing"]
    tmp = TMP(tau=config["tau"], future=future, feature_dim=config["feature_dim"], weight_smoothing=smoothing).eval()
    tmp.load_state_dict(checkpoint["state"][tmp_name])
    return gsr, tmp


@pytest.mark.parametrize("tmp_name", ["tmp", "tmp_offline"])
def test_shipped_onnx_matches_the_pytorch_weights(tmp_name):
    import onnxruntime as ort

    gsr, tmp = _shipped_torch_models(tmp_name)
    rng = np.random.default_rng(0)
    keypoints = rng.uniform(-1, 1, (8, 17, 3)).astype(np.float32)
    context = rng.uniform(-0.5, 0.5, (8, len(tmp.context_offsets), 17, 3)).astype(np.float32)
    keypoints_window = rng.uniform(-1, 1, (8, tmp.window_size, 17, 3)).astype(np.float32)
    keypoints_window[..., 2] = rng.uniform(0, 1, (8, tmp.window_size, 17))
    gsr_session = ort.InferenceSession(str(REPO_MODELS_DIR / ONNX_FILE["gsr"]), providers=["CPUExecutionProvider"])
    tmp_session = ort.InferenceSession(str(REPO_MODELS_DIR / ONNX_FILE[tmp_name]), providers=["CPUExecutionProvider"])
    assert context_offsets(tmp_session).tolist() == tmp.context_offsets
    assert smoothing_offsets(tmp_session).tolist() == tmp.smoothing_offsets
    pose, feature = gsr_session.run(None, {"keypoints": keypoints})
    outputs = tmp_session.run(None, {"feature": feature, "pose_m": pose, "context_m": context,
                                     "keypoints_window": keypoints_window})
    with torch.no_grad():
        torch_pose, torch_feature = gsr(torch.from_numpy(keypoints))
        torch_outputs = tmp(torch_feature, torch_pose, torch.from_numpy(context), torch.from_numpy(keypoints_window))
    np.testing.assert_allclose(pose, torch_pose.numpy(), atol=1e-4)
    for output, torch_output in zip(outputs, torch_outputs, strict=True):  # weights, candidates, correction
        np.testing.assert_allclose(output, torch_output.numpy(), atol=1e-4)


@pytest.mark.parametrize("model, tmp_name", [("gsr-tmp-offline", "tmp_offline"), ("gsr-tmp", "tmp")])
def test_the_lifter_applies_tmp_as_training_did(clip, model, tmp_name):
    """The lifter's numpy averaging of the filter weights equals models.run_gsr_tmp, which TMP was trained with."""
    keypoints = clip[0][:60]
    lifted = Lifter(model, mirror_average=False).lift_sequence(keypoints, 30.0, stature_mm=1500.0)
    gsr, tmp = _shipped_torch_models(tmp_name)
    features = normalise_keypoints(keypoints[..., :2], keypoints[..., 2])
    with torch.no_grad():
        _, refined = run_gsr_tmp(gsr, tmp, torch.from_numpy(features)[None])
    refined_mm = 1000.0 * (refined[0].numpy() - refined[0, :, :1].numpy())
    expected = refined_mm * (1500.0 / stature_mm(refined_mm))[:, None, None]
    np.testing.assert_allclose(lifted, expected, atol=0.2)


def test_manifest_hashes_match_the_shipped_files():
    manifest = json.loads((REPO_MODELS_DIR / MANIFEST_FILE).read_text())
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((REPO_MODELS_DIR / name).read_bytes()).hexdigest() == digest
    assert all(not path.startswith(("..", "/")) for path in manifest["data_files"])
    assert manifest["config"]["seed"] == 0


@pytest.mark.parametrize("model", ["gsr-tmp-offline", "gsr-tmp"])
def test_lifting_is_accurate_on_a_clean_training_clip_and_keeps_gaps(clip, model):
    keypoints, target = clip
    keypoints = keypoints.copy()
    keypoints[10:14] = np.nan
    lifted = Lifter(model).lift_sequence(keypoints, 30.0)
    assert lifted.shape == target.shape
    assert np.isnan(lifted[10:14]).all() and np.isfinite(np.delete(lifted, range(10, 14), axis=0)).all()
    error = np.linalg.norm(lifted - target, axis=-1)
    assert np.nanmean(error) < 120.0
    np.testing.assert_array_equal(np.delete(lifted, range(10, 14), axis=0)[:, 0], 0.0)  # pelvis-relative


def test_live_lifting_equals_causal_lifting_of_the_whole_clip(clip):
    keypoints, _ = clip
    keypoints = keypoints[:40].copy()
    keypoints[20:23] = np.nan
    # With a known stature both scale every pose to it; without, live can only use the median size so far.
    offline = Lifter("gsr-tmp").lift_sequence(keypoints, 30.0, stature_mm=1500.0)
    live = LiveLifter(fps=30.0, stature_mm=1500.0)
    for frame, expected in zip(keypoints, offline):
        result = live.push(None if np.isnan(frame).all() else frame)
        if np.isnan(expected).all():
            assert result is None
        else:
            np.testing.assert_allclose(result, expected, atol=1e-3)


def test_known_stature_sets_the_scale(clip):
    keypoints, _ = clip
    lifted = Lifter().lift_sequence(keypoints, 30.0, stature_mm=1234.0)
    np.testing.assert_allclose(stature_mm(lifted), 1234.0, rtol=1e-4)


def test_a_person_keeps_one_size_and_a_long_gap_starts_afresh(clip):
    keypoints, _ = clip
    keypoints = np.concatenate([keypoints[:60], np.full((40, 17, 3), np.nan), keypoints[60:120]])
    lifter = Lifter()
    lifted = lifter.lift_sequence(keypoints, 30.0)
    for segment in (lifted[:60], lifted[100:]):
        statures = stature_mm(segment)
        np.testing.assert_allclose(statures, statures[0], rtol=1e-4)
    # After 40 frames (1.3 s) without anyone, the size is measured afresh: maybe another person.
    np.testing.assert_allclose(lifted[100:], lifter.lift_sequence(keypoints[100:], 30.0), atol=1e-3)


@pytest.mark.parametrize("model", ["gsr-tmp-offline", "gsr-tmp", "gsr"])
def test_a_long_video_lifted_block_by_block_equals_one_call(clip, model, monkeypatch):
    # Blocks of 50 frames over a clip with a long and a short gap: what a 90-minute match is to the default blocks.
    keypoints, _ = clip
    keypoints = np.concatenate([keypoints[:130], np.full((40, 17, 3), np.nan), keypoints[130:260]])
    keypoints[200:203] = np.nan
    lifter = Lifter(model)
    whole = lifter.lift_sequence(keypoints, 30.0)
    monkeypatch.setattr(lifter_module, "LIFT_BLOCK_FRAMES", 50)
    np.testing.assert_allclose(lifter.lift_sequence(keypoints, 30.0), whole, atol=1e-3)


def test_bad_keypoints_are_input_errors():
    lifter = Lifter("gsr")
    with pytest.raises(InputError):
        lifter.lift_sequence(np.zeros((5, 15, 3)), 30.0)
    with pytest.raises(InputError):
        lifter.lift_sequence(np.zeros((5, 17, 3)), 0.0)
    with pytest.raises(InputError):
        Lifter("transformer")
    everything_missing = lifter.lift_sequence(np.full((3, 17, 3), np.nan), 30.0)
    assert np.isnan(everything_missing).all()
