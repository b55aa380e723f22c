"""Blur the face of every person in a video frame, from what the analysis already knows about the frame.

Where each head is:

- the analysed child: BlazePose's face landmarks (``kp2d_raw33`` 0-10: nose, eyes, ears, mouth corners). The
  region is an ellipse around the eyes and ears, sized as the largest of several estimates of the head's width
  (from the ears, the outer eye corners, eyes to mouth, the shoulders, the trunk), so that a face seen in
  profile, turned away or bent over is still covered with hair, ears and chin;
- another tracked person with 2D keypoints: the same ellipse from the nose and head-top joints, shoulders and
  trunk;
- anyone else the tracker follows (``frame.people``, a body box only): a band across the top of the box, where
  the head of a standing person is (the head is about 1/8 of a standing person's height; the band takes a
  fifth of the box and a margin above it);
- everyone the tracker does not follow in that frame (a coach it lost, a parent at the edge, a reflection):
  BlazePose's person detector is run on the picture itself, in overlapping square tiles as tall as the picture
  (a person is then 2-3 times larger in the detector's 224-pixel input than in the whole picture), and each
  person it finds gets an ellipse around the head, placed from its mid-shoulder point and its upper-body
  point above the head.

How: each region is pixelated (a head becomes about four blocks across) and then Gaussian-blurred, which
removes every feature that makes a face recognisable (pixelation throws the detail away; a blur alone could be
partly undone), and blended in with a soft-edged mask. Pixels outside every region are left exactly as they
were.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from stsp_app.blazepose.detector import PoseDetector
from stsp_app.core.analysis import FrameResult
from stsp_app.core.skeleton import BLAZEPOSE_INDEX, JOINT_INDEX

# Head width as a share of other lengths of the body (adults and children; generous where they vary: a larger
# region only blurs a little more background).
HEAD_WIDTH_PER_EAR_DISTANCE = 1.4
HEAD_WIDTH_PER_OUTER_EYE_DISTANCE = 1.8
HEAD_WIDTH_PER_EYES_TO_MOUTH = 2.7
HEAD_WIDTH_PER_SHOULDER_WIDTH = 0.5
HEAD_WIDTH_PER_TRUNK_LENGTH = 0.35
HEAD_WIDTH_PER_NOSE_TO_HEAD_TOP = 1.1
# The ellipse's half-axes in head widths, around the middle of the eyes and ears: a head is about 1.5 head widths
# tall and, seen in profile, 1.25 long, and the centre drifts towards the face in profile; the rest is margin.
HALF_WIDTH_PER_HEAD_WIDTH = 0.9
HALF_HEIGHT_PER_HEAD_WIDTH = 1.0
# Body boxes: the band blurred at the top of a box, in box heights.
BOX_BAND_ABOVE = 0.05
BOX_BAND_BELOW = 0.2
# People found by the detector: MediaPipe's upper-body keypoints are the mid-shoulder point and a point above
# the head (their distance is the upper body's radius, about three head widths); the head sits a little over
# half-way from the first to the second. Tiles overlap by half; a detection scores 0-1.
DETECTED_HEAD_POSITION = 0.55
DETECTED_HEAD_WIDTH_PER_RADIUS = 0.4
DETECTOR_MIN_SCORE = 0.5
# A detection whose head lies within the analysed child's keypoints' box, widened by this share of its height on
# every side, is the child again (the detector's second guess at a ball or a knee), not another person.
KNOWN_BODY_MARGIN = 0.2
TILE_OVERLAP = 0.5
# Strength: blocks of 1/8 of the region's smaller side, then a Gaussian of sigma = one block.
BLOCKS_PER_REGION_WIDTH = 8
MIN_BLOCK_PX = 2

@dataclass(frozen=True)
class FaceRegion:
    """Where a face is: an axis-aligned ellipse or rectangle (``shape``), centre and half-sizes in pixels."""

    centre_px: tuple[float, float]
    half_size_px: tuple[float, float]
    shape: str  # "ellipse" or "rectangle"


def _distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a[:2], dtype=np.float64) - np.asarray(b[:2], dtype=np.float64)))


def _head_ellipse(centre_px: np.ndarray, head_width_px: float) -> FaceRegion | None:
    if not (np.isfinite(centre_px).all() and np.isfinite(head_width_px) and head_width_px > 0):
        return None
    return FaceRegion(
        (float(centre_px[0]), float(centre_px[1])),
        (HALF_WIDTH_PER_HEAD_WIDTH * head_width_px, HALF_HEIGHT_PER_HEAD_WIDTH * head_width_px),
        "ellipse",
    )


def _largest(estimates: list[float]) -> float:
    finite = [value for value in estimates if np.isfinite(value)]
    return max(finite) if finite else float("nan")


def region_from_landmarks(raw33: np.ndarray) -> FaceRegion | None:
    """The head of the analysed person from BlazePose's 33 landmarks (x_px, y_px, visibility)."""
    raw33 = np.asarray(raw33, dtype=np.float64)
    lm = {name: raw33[index, :2] for name, index in BLAZEPOSE_INDEX.items()}
    mid_eyes = (lm["left_eye"] + lm["right_eye"]) / 2
    mid_mouth = (lm["mouth_left"] + lm["mouth_right"]) / 2
    mid_shoulders = (lm["left_shoulder"] + lm["right_shoulder"]) / 2
    mid_hips = (lm["left_hip"] + lm["right_hip"]) / 2
    head_width_px = _largest([
        HEAD_WIDTH_PER_EAR_DISTANCE * _distance(lm["left_ear"], lm["right_ear"]),
        HEAD_WIDTH_PER_OUTER_EYE_DISTANCE * _distance(lm["left_eye_outer"], lm["right_eye_outer"]),
        HEAD_WIDTH_PER_EYES_TO_MOUTH * _distance(mid_eyes, mid_mouth),
        HEAD_WIDTH_PER_SHOULDER_WIDTH * _distance(lm["left_shoulder"], lm["right_shoulder"]),
        HEAD_WIDTH_PER_TRUNK_LENGTH * _distance(mid_shoulders, mid_hips),
    ])
    mid_ears = (lm["left_ear"] + lm["right_ear"]) / 2
    return _head_ellipse((mid_ears + mid_eyes) / 2, head_width_px)


def region_from_joints(kp2d: np.ndarray) -> FaceRegion | None:
    """The head from the 17 joints (x_px, y_px, confidence): between the nose and the head top."""
    kp2d = np.asarray(kp2d, dtype=np.float64)
    joint = {name: kp2d[index, :2] for name, index in JOINT_INDEX.items()}
    head_width_px = _largest([
        HEAD_WIDTH_PER_NOSE_TO_HEAD_TOP * _distance(joint["neck_nose"], joint["head"]),
        HEAD_WIDTH_PER_SHOULDER_WIDTH * _distance(joint["left_shoulder"], joint["right_shoulder"]),
        HEAD_WIDTH_PER_TRUNK_LENGTH * _distance(joint["thorax"], joint["pelvis"]),
    ])
    return _head_ellipse((joint["neck_nose"] + joint["head"]) / 2, head_width_px)


def region_from_box(box_xyxy_px: np.ndarray) -> FaceRegion | None:
    """The head of a person known only by a body box: a band across the box's top."""
    x0, y0, x1, y1 = (float(v) for v in box_xyxy_px)
    height = y1 - y0
    if not (np.isfinite([x0, y0, x1, y1]).all() and x1 > x0 and height > 0):
        return None
    top, bottom = y0 - BOX_BAND_ABOVE * height, y0 + BOX_BAND_BELOW * height
    return FaceRegion(((x0 + x1) / 2, (top + bottom) / 2), ((x1 - x0) / 2, (bottom - top) / 2), "rectangle")


def face_regions(frame: FrameResult) -> list[FaceRegion]:
    """Every face of the frame that the analysis locates; for each person the most precise source there is
    (landmarks, then joints, then the body box)."""
    analysed = None
    if frame.kp2d_raw33 is not None:
        analysed = region_from_landmarks(frame.kp2d_raw33)
    if analysed is None and frame.kp2d is not None:
        analysed = region_from_joints(frame.kp2d)
    regions = [analysed]
    for person in frame.people:
        if analysed is not None and person.person_id == frame.person_id:
            continue  # the analysed person, placed above
        region = region_from_joints(person.kp2d) if person.kp2d is not None else None
        regions.append(region if region is not None else region_from_box(person.box_xyxy_px))
    return [region for region in regions if region is not None]


@lru_cache(maxsize=1)
def _detector() -> PoseDetector:
    return PoseDetector(min_score=DETECTOR_MIN_SCORE)


def _square_tiles(width: int, height: int) -> list[tuple[int, int, int]]:
    """(x0, y0, side) of square tiles as large as the picture's shorter side, overlapping by TILE_OVERLAP along
    the longer one, covering it."""
    side = min(width, height)
    length = max(width, height)
    count = 1 if length == side else int(np.ceil((length - side) / (side * (1 - TILE_OVERLAP)))) + 1
    starts = np.linspace(0, length - side, count).round().astype(int)
    return [(int(start), 0, side) if width >= height else (0, int(start), side) for start in starts]


def detected_head_regions(image_bgr: np.ndarray, detector: PoseDetector | None = None) -> list[FaceRegion]:
    """The heads of every person BlazePose's detector finds in the picture itself, tile by tile."""
    detector = detector or _detector()
    height, width = image_bgr.shape[:2]
    regions = []
    for x0, y0, side in _square_tiles(width, height):
        tile = cv2.cvtColor(np.ascontiguousarray(image_bgr[y0:y0 + side, x0:x0 + side]), cv2.COLOR_BGR2RGB)
        for detection in detector.detect(tile):
            shoulders, above_head = detection.keypoints_px[2] + (x0, y0), detection.keypoints_px[3] + (x0, y0)
            centre = shoulders + DETECTED_HEAD_POSITION * (above_head - shoulders)
            region = _head_ellipse(centre, DETECTED_HEAD_WIDTH_PER_RADIUS * _distance(shoulders, above_head))
            if region is not None:
                regions.append(region)
    return regions


def all_face_regions(image_bgr: np.ndarray, frame: FrameResult) -> list[FaceRegion]:
    """Every face blurred in a picture: those the analysis locates (:func:`face_regions`) and those the detector
    finds in the picture (:func:`detected_head_regions`) of people the analysis does not already place (whose
    head would lie outside the analysed child's and every tracked person's body box): the detector's second
    guesses on a known body (a head near a ball, at a knee) would blur the body."""
    known = _known_body_boxes(frame)
    unknown = [region for region in detected_head_regions(image_bgr)
               if not any(x0 <= region.centre_px[0] <= x1 and y0 <= region.centre_px[1] <= y1
                          for x0, y0, x1, y1 in known)]
    return face_regions(frame) + unknown


def _known_body_boxes(frame: FrameResult) -> list[tuple[float, float, float, float]]:
    boxes = [tuple(float(v) for v in person.box_xyxy_px) for person in frame.people]
    if frame.kp2d is not None:
        seen = frame.kp2d[np.nan_to_num(frame.kp2d[:, 2]) > 0, :2]
        if len(seen):
            (x0, y0), (x1, y1) = seen.min(axis=0), seen.max(axis=0)
            margin = KNOWN_BODY_MARGIN * max(x1 - x0, y1 - y0)
            boxes.append((x0 - margin, y0 - margin, x1 + margin, y1 + margin))
    return boxes


def _mask(region: FaceRegion, x0: int, y0: int, width: int, height: int, feather_px: int) -> np.ndarray:
    """Weights over the crop (x0, y0, width, height): 1 on the region (to 0.1 %), falling to 0 within about two
    ``feather_px`` outside it, exactly 0 from 2.4 ``feather_px`` on."""
    mask = np.zeros((height, width), dtype=np.float32)
    centre = (round(region.centre_px[0] - x0), round(region.centre_px[1] - y0))
    half = (max(1, round(region.half_size_px[0])) + feather_px, max(1, round(region.half_size_px[1])) + feather_px)
    if region.shape == "ellipse":
        cv2.ellipse(mask, centre, half, 0, 0, 360, 1.0, thickness=-1)
    else:
        cv2.rectangle(mask, (centre[0] - half[0], centre[1] - half[1]), (centre[0] + half[0], centre[1] + half[1]),
                      1.0, thickness=-1)
    return cv2.GaussianBlur(mask, (0, 0), sigmaX=feather_px / 3)


def blur_region(image_bgr: np.ndarray, region: FaceRegion) -> None:
    """Pixelate and blur one region of ``image_bgr`` in place."""
    height, width = image_bgr.shape[:2]
    block_px = max(MIN_BLOCK_PX, round(2 * min(region.half_size_px) / BLOCKS_PER_REGION_WIDTH))
    reach = [h + 3 * block_px for h in region.half_size_px]
    x0 = max(0, int(np.floor(region.centre_px[0] - reach[0])))
    y0 = max(0, int(np.floor(region.centre_px[1] - reach[1])))
    x1 = min(width, int(np.ceil(region.centre_px[0] + reach[0])) + 1)
    y1 = min(height, int(np.ceil(region.centre_px[1] + reach[1])) + 1)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return
    crop = image_bgr[y0:y1, x0:x1]
    small = cv2.resize(crop, (max(1, (x1 - x0) // block_px), max(1, (y1 - y0) // block_px)),
                       interpolation=cv2.INTER_AREA)
    blocks = cv2.resize(small, (x1 - x0, y1 - y0), interpolation=cv2.INTER_NEAREST)
    blurred = cv2.GaussianBlur(blocks, (0, 0), sigmaX=block_px)
    weights = _mask(region, x0, y0, x1 - x0, y1 - y0, feather_px=block_px)[..., None]
    mixed = crop.astype(np.float32) * (1.0 - weights) + blurred.astype(np.float32) * weights
    image_bgr[y0:y1, x0:x1] = np.clip(np.rint(mixed), 0, 255).astype(np.uint8)


def blur_faces(image_bgr: np.ndarray, frame: FrameResult) -> np.ndarray:
    """A copy of the BGR frame with the face of every person in it blurred beyond recognition: those the
    analysis locates and those the detector finds (:func:`all_face_regions`)."""
    out = np.array(image_bgr, dtype=np.uint8, copy=True)
    for region in all_face_regions(image_bgr, frame):
        blur_region(out, region)
    return out
