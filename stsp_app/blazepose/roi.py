"""The body region of interest: a rotated square in the image that the landmark model sees as a 256x256 crop.

Pixel convention (everywhere in stsp_app.blazepose): OpenCV's, the centre of pixel column i / row j is at
(i, j). The crop transform maps the ROI's corner (rotated top-left) to crop coordinate (0, 0) and the
opposite corner to (size, size), exactly like MediaPipe's ImageToTensorCalculator, and
``crop_to_image`` is its exact inverse, so the landmark model's outputs (in crop pixels) map back with the
same convention MediaPipe uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

ROI_SCALE = 1.25  # MediaPipe's RectTransformationCalculator scale for the pose ROI
TARGET_ANGLE_RAD = math.pi / 2  # the centre->scale point vector points "up" in the crop


def _normalize_radians(angle: float) -> float:
    return angle - 2 * math.pi * math.floor((angle + math.pi) / (2 * math.pi))


@dataclass(frozen=True)
class Roi:
    centre_px: np.ndarray  # (2,) x, y in image pixels
    size_px: float  # side of the square, image pixels
    rotation_rad: float  # rotation of the crop's axes in the image (y down: positive is clockwise on screen)

    @classmethod
    def from_points(cls, centre_px: np.ndarray, scale_point_px: np.ndarray) -> Roi:
        """MediaPipe's rule: centre = point 0; size = 2*|p1-p0|*1.25; rotation = 90deg - atan2(-dy, dx)."""
        centre = np.asarray(centre_px, np.float64)
        delta = np.asarray(scale_point_px, np.float64) - centre
        size = 2.0 * float(np.hypot(delta[0], delta[1])) * ROI_SCALE
        rotation = _normalize_radians(TARGET_ANGLE_RAD - math.atan2(-delta[1], delta[0]))
        return cls(centre_px=centre, size_px=size, rotation_rad=rotation)

    @classmethod
    def from_detection(cls, detection) -> Roi:
        """From a PersonDetection: keypoint 0 (mid-hip) and keypoint 1 (the point giving scale and rotation)."""
        return cls.from_points(detection.keypoints_px[0], detection.keypoints_px[1])

    @classmethod
    def from_auxiliary(cls, auxiliary_px: np.ndarray) -> Roi:
        """From the landmark model's auxiliary points 33 (centre) and 34 (scale), for the next frame."""
        auxiliary = np.asarray(auxiliary_px, np.float64)
        return cls.from_points(auxiliary[0], auxiliary[1])

    def crop_to_image_matrix(self, size: int = 256) -> np.ndarray:
        """2x3 affine taking crop pixel coordinates (0..size) to image pixel coordinates."""
        scale = self.size_px / size
        cos, sin = math.cos(self.rotation_rad), math.sin(self.rotation_rad)
        half = self.size_px / 2
        cx, cy = float(self.centre_px[0]), float(self.centre_px[1])
        return np.array(
            [
                [scale * cos, -scale * sin, cx - half * cos + half * sin],
                [scale * sin, scale * cos, cy - half * sin - half * cos],
            ]
        )

    def crop_transform(self, size: int = 256) -> np.ndarray:
        """2x3 affine taking image pixel coordinates to crop pixel coordinates (for cv2.warpAffine)."""
        if not (self.size_px > 0 and math.isfinite(self.size_px)):
            raise ValueError(f"degenerate ROI (size {self.size_px} px): its two defining points coincide")
        forward = self.crop_to_image_matrix(size)
        inverse_linear = forward[:, :2].T / (self.size_px / size) ** 2  # scaled rotation: inverse = R^T / s
        return np.hstack([inverse_linear, -(inverse_linear @ forward[:, 2])[:, None]])

    def crop_to_image(self, crop_xy_px: np.ndarray, size: int = 256) -> np.ndarray:
        """Map (N, 2) crop pixel coordinates to image pixel coordinates."""
        matrix = self.crop_to_image_matrix(size)
        points = np.asarray(crop_xy_px, np.float64)
        return points @ matrix[:, :2].T + matrix[:, 2]

    def image_to_crop(self, image_xy_px: np.ndarray, size: int = 256) -> np.ndarray:
        matrix = self.crop_transform(size)
        points = np.asarray(image_xy_px, np.float64)
        return points @ matrix[:, :2].T + matrix[:, 2]

    def crop(self, image_rgb: np.ndarray, size: int = 256) -> np.ndarray:
        """The ROI as a size x size uint8 RGB crop, border pixels replicated (MediaPipe's CPU behaviour)."""
        import cv2

        return cv2.warpAffine(
            image_rgb,
            self.crop_transform(size),
            (size, size),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        )
