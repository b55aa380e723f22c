"""Names of the lifting models and of their ONNX files (light: no torch, no onnxruntime)."""

import hashlib
import json
from pathlib import Path

from stsp_app.core.paths import REPO_MODELS_DIR

MODEL_NAMES = ("gsr", "tmp", "tmp_offline", "mlp", "tcn9", "tcn27")
SHIPPED_MODELS = ("gsr", "tmp", "tmp_offline")  # under models/; the baselines are trained for comparison only
ONNX_FILE = {name: f"lifting_{name}.onnx" for name in MODEL_NAMES}
MANIFEST_FILE = "lifting_manifest.json"
CONTEXT_OFFSETS_KEY = "context_offsets_frames"  # ONNX metadata of the TMP files: "-5,-4,...,-1[,1,...]"
SMOOTHING_OFFSETS_KEY = "weight_smoothing_offsets_frames"  # and which frames' filter weights are averaged: "-2,...,2"
MODEL_CHOICES = ("gsr-tmp-offline", "gsr-tmp", "gsr", "mlp", "tcn9", "tcn27")  # what the lifter can run
OFFLINE_MODEL = "gsr-tmp-offline"  # whole videos: the lifter that measured best (docs/RESULTS.md)


def shipped_models_version(models_dir: Path = REPO_MODELS_DIR) -> str:
    """A short hash of the shipped lifting files (from their manifest), "none" without one: cached analyses
    made with other weights must not be reused."""
    try:
        outputs = json.loads((Path(models_dir) / MANIFEST_FILE).read_text())["outputs"]
    except (OSError, ValueError, KeyError):
        return "none"
    return hashlib.sha256(json.dumps(outputs, sort_keys=True).encode("utf-8")).hexdigest()[:12]
