"""BlazePose (MediaPipe Pose) run offline through ONNX Runtime: the EPE stage's 2D keypoint backbone.

Weights come from registry packages (``stsp-coach models fetch``), converted to ONNX by the project's own
converter (:mod:`stsp_app.blazepose.tflite_to_onnx`). Typical use::

    detector, landmarker = PoseDetector(), PoseLandmarker("full")
    roi = Roi.from_detection(detector.detect(image_rgb)[0])
    landmarks = decode_landmarks(landmarker.run(image_rgb, roi))
    next_roi = Roi.from_auxiliary(landmarks.auxiliary_px)
"""

from stsp_app.blazepose.detector import PersonDetection, PoseDetector
from stsp_app.blazepose.fetch import ensure_models, fetch_models
from stsp_app.blazepose.landmark_decoding import (
    LANDMARK_NAMES,
    Landmarks33,
    decode_landmarks,
    refine_from_heatmap_7x7,
)
from stsp_app.blazepose.landmarker import LandmarkOutput, PoseLandmarker
from stsp_app.blazepose.roi import Roi
from stsp_app.blazepose.runtime import OnnxModel

__all__ = [
    "LANDMARK_NAMES",
    "Landmarks33",
    "LandmarkOutput",
    "OnnxModel",
    "PersonDetection",
    "PoseDetector",
    "PoseLandmarker",
    "Roi",
    "decode_landmarks",
    "ensure_models",
    "fetch_models",
    "refine_from_heatmap_7x7",
]
