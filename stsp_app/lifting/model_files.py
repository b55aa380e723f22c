"""Names of the lifting models and of their ONNX files (light: no torch, no onnxruntime)."""

MODEL_NAMES = ("gsr", "tmp", "mlp", "tcn9", "tcn27")
ONNX_FILE = {name: f"lifting_{name}.onnx" for name in MODEL_NAMES}
MANIFEST_FILE = "lifting_manifest.json"
