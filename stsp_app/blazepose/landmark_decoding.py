"""Decode a LandmarkOutput into BlazePose's 33 landmarks in image pixels (MediaPipe's rules).

x, y (crop pixels) are optionally refined from the heatmap, then mapped back through the ROI's inverse crop
transform; z is scaled like MediaPipe's (``raw / 256 * roi_size / image_width``, i.e. in image widths) and
also given in image pixels; visibility and per-landmark presence go through a sigmoid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stsp_app.blazepose.landmarker import CROP_SIZE, LandmarkOutput
from stsp_app.core.skeleton import BLAZEPOSE_LANDMARK_NAMES, NUM_BLAZEPOSE_LANDMARKS

NUM_LANDMARKS = NUM_BLAZEPOSE_LANDMARKS
LANDMARK_NAMES = BLAZEPOSE_LANDMARK_NAMES
AUXILIARY_SLICE = slice(33, 35)  # ROI centre and scale points for the next frame
REFINE_KERNEL = 7
REFINE_MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Landmarks33:
    xy_px: np.ndarray  # (33, 2) image pixels (pixel centres at integers)
    z: np.ndarray  # (33,) depth relative to the hips, in image widths (MediaPipe's normalised z)
    z_px: np.ndarray  # (33,) the same depth in image pixels
    visibility: np.ndarray  # (33,) probability the point is visible (sigmoid)
    landmark_presence: np.ndarray  # (33,) probability the point is inside the image (sigmoid)
    world_m: np.ndarray  # (33, 3) metres, hip-centred, image axes (y down)
    auxiliary_px: np.ndarray  # (2, 2) image pixels: points 33 and 34 for Roi.from_auxiliary
    presence: float  # pose presence probability


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values))


def refine_from_heatmap_7x7(
    crop_xy_px: np.ndarray, heatmap_logits: np.ndarray, crop_size: int = CROP_SIZE
) -> np.ndarray:
    """MediaPipe's RefineLandmarksFromHeatmap on (N, 2) crop pixels with heatmap logits (H, W, N).

    For each landmark: the heatmap cell holding it (coordinates truncated toward zero, as MediaPipe's int
    conversion does); a 7x7 window around it clipped to the heatmap; sigmoid confidences; if the window's
    maximum is >= 0.5, the landmark becomes the confidence-weighted mean of the cells' indices (scaled back
    to crop pixels: cell index / heatmap size * crop size). Landmarks left of, right of or above the heatmap
    stay as they are. Like MediaPipe (whose bounds check tests the column twice and never the row against
    the height), a landmark up to 3 cells below the heatmap is still refined from the window rows that
    remain inside it.
    """
    points = np.asarray(crop_xy_px, np.float64)
    height, width, channels = heatmap_logits.shape
    if channels < len(points):
        raise ValueError(f"heatmap has {channels} channels for {len(points)} landmarks")
    column_f = np.trunc(points[:, 0] / crop_size * width)
    row_f = np.trunc(points[:, 1] / crop_size * height)
    eligible = np.isfinite(column_f) & np.isfinite(row_f) & (column_f >= 0) & (column_f < width) & (row_f >= 0)
    column = np.where(eligible, column_f, 0).astype(np.int64)
    row = np.where(eligible, np.minimum(row_f, 2 * height), 0).astype(np.int64)
    offsets = np.arange(REFINE_KERNEL) - (REFINE_KERNEL - 1) // 2
    window_rows = row[:, None] + offsets  # (N, 7)
    window_columns = column[:, None] + offsets
    # Cells outside the heatmap contribute nothing (MediaPipe clips the window).
    inside = ((window_rows >= 0) & (window_rows < height))[:, :, None] & (
        (window_columns >= 0) & (window_columns < width)
    )[:, None, :]
    logits = heatmap_logits[
        np.clip(window_rows, 0, height - 1)[:, :, None],
        np.clip(window_columns, 0, width - 1)[:, None, :],
        np.arange(len(points))[:, None, None],
    ].astype(np.float64)
    confidence = np.where(inside, _sigmoid(logits), 0.0)
    total = confidence.sum(axis=(1, 2))
    refine = eligible & (confidence.max(axis=(1, 2)) >= REFINE_MIN_CONFIDENCE) & (total > 0)
    safe_total = np.where(refine, total, 1.0)
    refined = points.copy()
    mean_column = (confidence * window_columns[:, None, :]).sum(axis=(1, 2)) / safe_total
    mean_row = (confidence * window_rows[:, :, None]).sum(axis=(1, 2)) / safe_total
    refined[refine, 0] = mean_column[refine] / width * crop_size
    refined[refine, 1] = mean_row[refine] / height * crop_size
    return refined


def decode_landmarks(output: LandmarkOutput, refine: str | None = "mediapipe") -> Landmarks33:
    """33 landmarks and the 2 auxiliary points in image pixels; ``refine="mediapipe"`` applies the heatmap step."""
    crop_xy = output.raw_crop[:, :2]
    if refine == "mediapipe":
        crop_xy = refine_from_heatmap_7x7(crop_xy, output.heatmap_logits)
    elif refine is not None:
        raise ValueError(f"unknown refinement {refine!r}; use 'mediapipe' or None")
    image_xy = output.crop_to_image(crop_xy)
    z_px = output.raw_crop[:NUM_LANDMARKS, 2] / CROP_SIZE * output.roi.size_px
    return Landmarks33(
        xy_px=image_xy[:NUM_LANDMARKS],
        z=z_px / output.image_size_wh[0],
        z_px=z_px,
        visibility=_sigmoid(output.raw_crop[:NUM_LANDMARKS, 3]),
        landmark_presence=_sigmoid(output.raw_crop[:NUM_LANDMARKS, 4]),
        world_m=output.world_m[:NUM_LANDMARKS],
        auxiliary_px=image_xy[AUXILIARY_SLICE],
        presence=output.presence,
    )
