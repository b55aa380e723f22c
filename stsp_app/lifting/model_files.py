"""Names of the lifting models and of their ONNX files (light: no torch, no onnxruntime)."""

MODEL_NAMES = ("gsr", "tmp", "tmp_offline", "mlp", "tcn9", "tcn27")
SHIPPED_MODELS = ("gsr", "tmp", "tmp_offline")  # under models/; the baselines are trained for comparison only
ONNX_FILE = {name: f"lifting_{name}.onnx" for name in MODEL_NAMES}
MANIFEST_FILE = "lifting_manifest.json"
CONTEXT_OFFSETS_KEY = "context_offsets_frames"  # ONNX metadata of the TMP files: "-5,-4,...,-1[,1,...]"
MODEL_CHOICES = ("gsr-tmp-offline", "gsr-tmp", "gsr", "mlp", "tcn9", "tcn27")  # what the lifter can run
OFFLINE_MODEL = "gsr-tmp-offline"  # whole videos: the lifter that measured best (docs/RESULTS.md)
