"""2D -> 3D lifting: the GSR (graph attention) and TMP (temporal cross-attention) stages of STSP-Net.

Inference goes through ``stsp_app.lifting.lifter`` (ONNX Runtime, CPU); training data and models live in the
other modules of this package and are only needed by ``stsp-coach train`` and the evaluation commands.
"""
