"""BlazePose's person detector: finds faces (with body keypoints) in an RGB image.

Steps, as MediaPipe's pose_detection graph configures them: letterbox the image into 224x224 (aspect kept,
black border, values scaled to [-1, 1]); run the model; decode boxes and 4 keypoints against 2254 SSD
anchors; keep sigmoid scores >= 0.5 (``min_score``); weighted non-maximum suppression at IoU 0.3; map back to
image pixels.
Pixel convention: see :mod:`stsp_app.blazepose.roi` (pixel centres at integer coordinates).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stsp_app.blazepose.fetch import DETECTOR, ensure_models
from stsp_app.blazepose.runtime import OnnxModel
from stsp_app.errors import InputError

INPUT_SIZE = 224
MIN_SCORE = 0.5  # MediaPipe Pose's default min_detection_confidence
NMS_IOU = 0.3
NUM_KEYPOINTS = 4
# detect_with_tiles: each quarter tile spans this share of the image's width and height (they overlap by 20 %,
# so a face on a tile's edge is whole in another)
TILE_SHARE = 0.6
# A quarter shows people cut at its edge, enlarged, and the detector scores some of those halves as a second
# person (0.54-0.68 on the squat copies, where whole people score 0.95-0.98): a quarter's detection counts from
# this score.
TILE_MIN_SCORE = 0.8
# SSD anchor options of MediaPipe's pose detection graph.
_STRIDES = (8, 16, 32, 32, 32)
_ANCHORS_PER_LAYER = 2  # aspect ratio 1.0 plus the interpolated-scale anchor


@dataclass(frozen=True)
class PersonDetection:
    score: float  # sigmoid probability
    face_box_xyxy_px: np.ndarray  # (4,) x_min, y_min, x_max, y_max of the face, image pixels
    # (4, 2) image pixels: 0 mid-hip centre, 1 full-body scale/rotation point, 2 mid-shoulder centre,
    # 3 upper-body scale/rotation point (MediaPipe's order)
    keypoints_px: np.ndarray


def ssd_anchor_centres(input_size: int = INPUT_SIZE) -> np.ndarray:
    """(2254, 2) anchor centres in [0, 1]: per stride group, rows then columns then anchors per cell.

    Layers with equal stride share one feature map, so stride 32 (three layers) has 6 anchors per cell.
    All anchors have width = height = 1 (fixed_anchor_size).
    """
    centres = []
    layer = 0
    while layer < len(_STRIDES):
        stride = _STRIDES[layer]
        same = 0
        while layer + same < len(_STRIDES) and _STRIDES[layer + same] == stride:
            same += 1
        cells = int(np.ceil(input_size / stride))
        y, x = np.meshgrid((np.arange(cells) + 0.5) / cells, (np.arange(cells) + 0.5) / cells, indexing="ij")
        grid = np.stack([x.ravel(), y.ravel()], axis=1)
        centres.append(np.repeat(grid, same * _ANCHORS_PER_LAYER, axis=0))
        layer += same
    return np.concatenate(centres).astype(np.float32)


def letterbox_matrix(image_width: int, image_height: int, size: int = INPUT_SIZE) -> np.ndarray:
    """2x3 affine image px -> model input px: the image's bounding square, centred, scaled to size."""
    side = max(image_width, image_height)
    scale = size / side
    return np.array(
        [
            [scale, 0.0, -(image_width / 2 - side / 2) * scale],
            [0.0, scale, -(image_height / 2 - side / 2) * scale],
        ]
    )


def box_iou(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Intersection over union of one box (x0, y0, x1, y1) with each of ``boxes`` (N, 4)."""
    x0 = np.maximum(box[0], boxes[:, 0])
    y0 = np.maximum(box[1], boxes[:, 1])
    x1 = np.minimum(box[2], boxes[:, 2])
    y1 = np.minimum(box[3], boxes[:, 3])
    intersection = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    union = area + areas - intersection
    return np.where(union > 0, intersection / np.maximum(union, 1e-12), 0.0)


def weighted_nms(
    scores: np.ndarray, boxes_xyxy: np.ndarray, keypoints: np.ndarray, iou_threshold: float = NMS_IOU
) -> list[tuple[float, np.ndarray, np.ndarray]]:
    """MediaPipe's WEIGHTED non-maximum suppression.

    Repeatedly take the best remaining detection; every remaining detection overlapping it with IoU above the
    threshold (itself included) is merged into it: box and keypoints become the score-weighted mean of the
    group, the score stays the best one's.
    """
    order = np.argsort(-scores, kind="stable")
    remaining = order
    merged = []
    while len(remaining):
        best = remaining[0]
        overlap = box_iou(boxes_xyxy[best], boxes_xyxy[remaining]) > iou_threshold
        overlap[0] = True
        group = remaining[overlap]
        weights = scores[group] / scores[group].sum()
        box = (boxes_xyxy[group] * weights[:, None]).sum(axis=0)
        points = (keypoints[group] * weights[:, None, None]).sum(axis=0)
        merged.append((float(scores[best]), box, points))
        remaining = remaining[~overlap]
    return merged


class PoseDetector:
    """``detect(image_rgb)`` -> the people found, best first (one PersonDetection per face)."""

    def __init__(self, threads: int = 2, device: str = "auto", min_score: float = MIN_SCORE) -> None:
        self.model = OnnxModel(ensure_models([DETECTOR])[DETECTOR], threads=threads, device=device)
        self.anchors = ssd_anchor_centres()
        self.min_score = min_score

    def preprocess(self, image_rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(input tensor [1,224,224,3] in [-1,1], 2x3 image->input affine)."""
        import cv2

        if image_rgb.ndim != 3 or image_rgb.shape[2] != 3 or image_rgb.dtype != np.uint8:
            raise InputError(f"expected an HxWx3 uint8 RGB image, got {image_rgb.dtype} {image_rgb.shape}")
        height, width = image_rgb.shape[:2]
        matrix = letterbox_matrix(width, height)
        letterboxed = cv2.warpAffine(
            image_rgb, matrix, (INPUT_SIZE, INPUT_SIZE), flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0),
        )
        tensor = letterboxed.astype(np.float32) * (2.0 / 255.0) - 1.0
        return tensor[None], matrix

    def decode(self, raw_boxes: np.ndarray, raw_scores: np.ndarray, matrix: np.ndarray) -> list[PersonDetection]:
        """Raw model outputs ([2254,12], [2254]) -> detections in image pixels."""
        scores = 1.0 / (1.0 + np.exp(-np.clip(raw_scores.astype(np.float64), -100.0, 100.0)))
        keep = scores >= self.min_score
        if not keep.any():
            return []
        raw = raw_boxes[keep].astype(np.float64)
        anchors_px = self.anchors[keep].astype(np.float64) * INPUT_SIZE
        centre = raw[:, 0:2] + anchors_px
        half = raw[:, 2:4] / 2
        boxes = np.concatenate([centre - half, centre + half], axis=1)
        keypoints = raw[:, 4:].reshape(-1, NUM_KEYPOINTS, 2) + anchors_px[:, None, :]
        inverse = np.linalg.inv(np.vstack([matrix, [0.0, 0.0, 1.0]]))[:2]
        detections = []
        for score, box, points in weighted_nms(scores[keep], boxes, keypoints):
            corners = box.reshape(2, 2) @ inverse[:, :2].T + inverse[:, 2]
            detections.append(
                PersonDetection(
                    score=score,
                    face_box_xyxy_px=corners.reshape(4),
                    keypoints_px=points @ inverse[:, :2].T + inverse[:, 2],
                )
            )
        return detections

    def detect(self, image_rgb: np.ndarray) -> list[PersonDetection]:
        tensor, matrix = self.preprocess(image_rgb)
        outputs = self.model.run(tensor)
        return self.decode(outputs["Identity"][0], outputs["Identity_1"][0, :, 0], matrix)

    def detect_with_tiles(self, image_rgb: np.ndarray,
                          whole_image: list[PersonDetection] | None = None) -> list[PersonDetection]:
        """``detect`` on the whole image and on its four overlapping quarters (each TILE_SHARE of the width and
        height), duplicates merged as the model's own suppression merges them. The whole image is squeezed into
        224x224, where a person under about a third of the picture's height has a face of a few pixels: the
        detector misses children at the back of a hall that the landmarks would follow well. A quarter's detection
        needs TILE_MIN_SCORE. Five model calls, four when ``whole_image`` gives ``detect``'s answer already."""
        height, width = image_rgb.shape[:2]
        whole_image = self.detect(image_rgb) if whole_image is None else whole_image
        found = [(detection, 0.0, 0.0) for detection in whole_image]
        tile_w, tile_h = round(TILE_SHARE * width), round(TILE_SHARE * height)
        for x0 in (0, width - tile_w):
            for y0 in (0, height - tile_h):
                tile = np.ascontiguousarray(image_rgb[y0:y0 + tile_h, x0:x0 + tile_w])
                found += [(detection, float(x0), float(y0)) for detection in self.detect(tile)
                          if detection.score >= TILE_MIN_SCORE]
        if not found:
            return []
        offsets = np.array([[x0, y0] for _, x0, y0 in found])
        scores = np.array([detection.score for detection, _, _ in found])
        boxes = np.array([detection.face_box_xyxy_px for detection, _, _ in found]) + np.tile(offsets, 2)
        keypoints = np.array([detection.keypoints_px for detection, _, _ in found]) + offsets[:, None, :]
        return [PersonDetection(score=score, face_box_xyxy_px=box, keypoints_px=points)
                for score, box, points in weighted_nms(scores, boxes, keypoints)]
