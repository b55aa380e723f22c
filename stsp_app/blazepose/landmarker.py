"""BlazePose's landmark model (lite, full or heavy) run on one ROI: raw outputs, kept undecoded.

The crop is the ROI's rotated square resampled to 256x256 with replicated border, RGB scaled to [0, 1]
(see :mod:`stsp_app.blazepose.roi` for the pixel convention). Decoding into image landmarks lives in
:mod:`stsp_app.blazepose.landmark_decoding`, so callers can compare refinements on the same raw output.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from stsp_app.blazepose.fetch import LANDMARK_VARIANTS, ensure_models
from stsp_app.blazepose.roi import Roi
from stsp_app.blazepose.runtime import OnnxModel
from stsp_app.errors import InputError, UserFacingError

CROP_SIZE = 256
HEATMAP_SIZE = 64
NUM_OUTPUT_POINTS = 39  # 33 landmarks, 2 auxiliary ROI points (33, 34), 4 unused


@dataclass(frozen=True)
class LandmarkOutput:
    roi: Roi
    image_size_wh: tuple[int, int]
    # (39, 5): x, y in crop pixels (0..256), z (crop pixel units), visibility logit, presence logit
    raw_crop: np.ndarray
    presence: float  # pose presence probability; < 0.5 means the person is lost
    heatmap_logits: np.ndarray  # (64, 64, 39)
    world_m: np.ndarray  # (39, 3) metres, origin at the hip midpoint, y down, rotated back to image axes

    def crop_to_image(self, crop_xy_px: np.ndarray) -> np.ndarray:
        """(N, 2) crop pixels -> image pixels through this output's ROI."""
        return self.roi.crop_to_image(crop_xy_px, CROP_SIZE)


def preprocess_crop(image_rgb: np.ndarray, roi: Roi) -> np.ndarray:
    """The landmark model's input [1, 256, 256, 3] float32 in [0, 1]."""
    if image_rgb.ndim != 3 or image_rgb.shape[2] != 3 or image_rgb.dtype != np.uint8:
        raise InputError(f"expected an HxWx3 uint8 RGB image, got {image_rgb.dtype} {image_rgb.shape}")
    return (roi.crop(image_rgb, CROP_SIZE).astype(np.float32) * (1.0 / 255.0))[None]


def rotate_world_to_image_axes(world_m: np.ndarray, rotation_rad: float) -> np.ndarray:
    """Rotate x, y of world landmarks from the ROI's frame back to the image's axes (z unchanged)."""
    cos, sin = math.cos(rotation_rad), math.sin(rotation_rad)
    rotated = world_m.copy()
    rotated[:, 0] = cos * world_m[:, 0] - sin * world_m[:, 1]
    rotated[:, 1] = sin * world_m[:, 0] + cos * world_m[:, 1]
    return rotated


def landmark_output_from_tensors(
    outputs: dict[str, np.ndarray], roi: Roi, image_size_wh: tuple[int, int]
) -> LandmarkOutput:
    """Wrap the model's named outputs (Identity .. Identity_4) for one ROI."""
    return LandmarkOutput(
        roi=roi,
        image_size_wh=image_size_wh,
        raw_crop=outputs["Identity"].reshape(NUM_OUTPUT_POINTS, 5).astype(np.float64),
        presence=float(outputs["Identity_1"].reshape(-1)[0]),
        heatmap_logits=outputs["Identity_3"].reshape(HEATMAP_SIZE, HEATMAP_SIZE, NUM_OUTPUT_POINTS),
        world_m=rotate_world_to_image_axes(
            outputs["Identity_4"].reshape(NUM_OUTPUT_POINTS, 3).astype(np.float64), roi.rotation_rad
        ),
    )


class PoseLandmarker:
    """``run(image_rgb, roi)`` -> LandmarkOutput for one person."""

    def __init__(self, variant: str = "full", threads: int = 2, device: str = "auto") -> None:
        if variant not in LANDMARK_VARIANTS:
            raise UserFacingError(f"unknown landmark model {variant!r}; choose one of {', '.join(LANDMARK_VARIANTS)}")
        self.variant = variant
        self.model = OnnxModel(ensure_models([variant])[variant], threads=threads, device=device)

    def run(self, image_rgb: np.ndarray, roi: Roi) -> LandmarkOutput:
        outputs = self.model.run(preprocess_crop(image_rgb, roi))
        height, width = image_rgb.shape[:2]
        return landmark_output_from_tensors(outputs, roi, (width, height))
