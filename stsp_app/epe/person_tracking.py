"""One track per person with a stable id, from detector boxes and the analysed person's landmarks.

The landmark network follows the analysed person from frame to frame (its ROI comes from the previous
frame's landmarks). Everyone else is followed by the detector, which runs when the analysed person is lost
and, to notice people entering and leaving, at a low fixed rate. People are associated by their body ROI,
which MediaPipe defines the same way for a detection (its keypoints 0 and 1) and for a tracked person (the
auxiliary landmarks 33 and 34): ROI centres are compared at a distance relative to the ROI size, and
clothing by a colour histogram of the torso
(jerseys differ between players, and between a child and the coach); the distance allowed grows with the
time a person has been missing. Pairs are taken greedily from the cheapest; a track unseen for
``max_missing_frames`` ends. Ids count up from 1 in order of first appearance, so the same video gives the
same ids on every run.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import cv2
import numpy as np

from stsp_app.blazepose.detector import box_iou

# A detection belongs to a track when the ROI centres are closer than this many ROI sizes, plus
# GATE_GROWTH_PER_FRAME ROI sizes for every frame the track has been missing.
MAX_ASSOCIATION_DISTANCE = 0.5
GATE_GROWTH_PER_FRAME = 0.06
# Torso colour (Bhattacharyya distance, 0 same, 1 disjoint) only breaks ties between candidates inside the
# gate: on small, blurred people the same shirt measured 0.3-0.9 apart between frames, too unsteady to gate.
APPEARANCE_WEIGHT = 0.5
AGE_PENALTY_PER_FRAME = 0.01  # ROI sizes of extra cost per frame a track has been missing
APPEARANCE_MEMORY = 0.8  # weight of the past in a track's running colour histogram


@dataclass
class PersonTrack:
    person_id: int
    roi_box_xyxy_px: np.ndarray   # the square of the body ROI where the person was last seen (association)
    body_box_xyxy_px: np.ndarray  # where the body was last seen (display, picking a person)
    last_seen_index: int
    first_seen_index: int
    appearance: np.ndarray | None = None  # torso hue-saturation histogram


def torso_histogram(image_bgr: np.ndarray, torso_box_xyxy_px: np.ndarray) -> np.ndarray | None:
    """Normalised hue-saturation histogram of the torso region (None if it lies outside the image)."""
    height, width = image_bgr.shape[:2]
    x0, y0, x1, y1 = np.round(torso_box_xyxy_px).astype(int)
    x0, x1 = np.clip([x0, x1], 0, width)
    y0, y1 = np.clip([y0, y1], 0, height)
    if x1 - x0 < 3 or y1 - y0 < 3:
        return None
    hsv = cv2.cvtColor(image_bgr[y0:y1, x0:x1], cv2.COLOR_BGR2HSV)
    histogram = cv2.calcHist([hsv], [0, 1], None, [12, 6], [0, 180, 0, 256])
    return cv2.normalize(histogram, None, 1.0, 0.0, cv2.NORM_L1)


def appearance_distance(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 0.0
    return float(cv2.compareHist(a, b, cv2.HISTCMP_BHATTACHARYYA))


def _centre(box: np.ndarray) -> np.ndarray:
    return np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])


def _inside(point: np.ndarray, box: np.ndarray) -> bool:
    return bool(box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3])


def _size(box: np.ndarray) -> float:
    return float(max(box[2] - box[0], box[3] - box[1], 1.0))


def roi_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Distance between two ROI boxes' centres in units of the larger ROI."""
    return float(np.linalg.norm(_centre(a) - _centre(b)) / max(_size(a), _size(b)))


def prominence(box_xyxy_px: np.ndarray, width: int, height: int) -> float:
    """How likely a body box is the person being filmed: large and central scores high."""
    box_w = box_xyxy_px[2] - box_xyxy_px[0]
    box_h = box_xyxy_px[3] - box_xyxy_px[1]
    relative_size = np.sqrt(max(box_w, 0) * max(box_h, 0) / (width * height))
    off_centre = np.linalg.norm((_centre(box_xyxy_px) - [width / 2, height / 2]) / [width / 2, height / 2])
    return float(relative_size * (1.0 - 0.5 * min(off_centre / np.sqrt(2), 1.0)))


class PersonTracker:
    def __init__(self, max_missing_frames: int = 60) -> None:
        self.max_missing_frames = max_missing_frames
        self.tracks: dict[int, PersonTrack] = {}
        self._next_id = 1

    def reset(self) -> None:
        self.tracks.clear()
        self._next_id = 1

    def update(
        self,
        roi_boxes: list[np.ndarray],
        body_boxes: list[np.ndarray],
        frame_index: int,
        appearances: list[np.ndarray | None] | None = None,
    ) -> list[int]:
        """Associate this frame's detections (ROI and body boxes, torso histograms) to tracks; returns each
        detection's person id."""
        appearances = appearances or [None] * len(roi_boxes)
        candidates = []
        for box_index, (roi, appearance) in enumerate(zip(roi_boxes, appearances)):
            for track in self.tracks.values():
                missing = frame_index - track.last_seen_index
                allowed = MAX_ASSOCIATION_DISTANCE + GATE_GROWTH_PER_FRAME * max(missing - 1, 0)
                distance = roi_distance(roi, track.roi_box_xyxy_px)
                colour = appearance_distance(appearance, track.appearance)
                # The detector's ROI of a person the landmarks follow can sit off their ROI; a detection
                # centred on the body of someone seen a frame ago is that person (not a new one).
                on_body = missing <= 1 and _inside(_centre(roi), track.body_box_xyxy_px)
                if distance <= allowed or on_body:
                    # The gate only decides who may match; among those the nearest, best-dressed and most
                    # recently seen wins (a long-missing track must not outbid the person seen a frame ago).
                    cost = distance + APPEARANCE_WEIGHT * colour + AGE_PENALTY_PER_FRAME * missing
                    candidates.append((cost, box_index, track.person_id))
        ids: list[int | None] = [None] * len(roi_boxes)
        taken: set[int] = set()
        for _, box_index, person_id in sorted(candidates):
            if ids[box_index] is None and person_id not in taken:
                ids[box_index] = person_id
                taken.add(person_id)
        for box_index, (roi, body) in enumerate(zip(roi_boxes, body_boxes)):
            if ids[box_index] is None:
                ids[box_index] = self._next_id
                self._next_id += 1
            self.see(ids[box_index], roi, body, frame_index, appearances[box_index])
        self.forget_missing(frame_index)
        return [int(i) for i in ids]

    def see(
        self,
        person_id: int,
        roi_box: np.ndarray,
        body_box: np.ndarray,
        frame_index: int,
        appearance: np.ndarray | None = None,
    ) -> None:
        roi_box = np.asarray(roi_box, dtype=np.float64)
        body_box = np.asarray(body_box, dtype=np.float64)
        track = self.tracks.get(person_id)
        if track is None:
            self.tracks[person_id] = PersonTrack(person_id, roi_box, body_box, frame_index, frame_index, appearance)
            self._next_id = max(self._next_id, person_id + 1)
            return
        track.roi_box_xyxy_px, track.body_box_xyxy_px, track.last_seen_index = roi_box, body_box, frame_index
        if appearance is not None:
            track.appearance = (
                appearance if track.appearance is None
                else APPEARANCE_MEMORY * track.appearance + (1 - APPEARANCE_MEMORY) * appearance
            )

    def forget_missing(self, frame_index: int) -> None:
        for person_id in [
            pid for pid, t in self.tracks.items() if frame_index - t.last_seen_index > self.max_missing_frames
        ]:
            del self.tracks[person_id]

    def visible(self, frame_index: int, within_frames: int) -> list[PersonTrack]:
        """Tracks seen in the last ``within_frames`` frames, by id."""
        return [t for _, t in sorted(self.tracks.items()) if frame_index - t.last_seen_index <= within_frames]

    def person_at(self, body_box_xyxy_px: np.ndarray, frame_index: int, min_overlap: float) -> int | None:
        """Id of the person seen in this frame whose body box overlaps the given box most (intersection over
        union at least ``min_overlap``), else None."""
        seen_now = [t for t in self.tracks.values() if t.last_seen_index == frame_index]
        if not seen_now:
            return None
        overlaps = box_iou(np.asarray(body_box_xyxy_px, dtype=np.float64),
                           np.array([t.body_box_xyxy_px for t in seen_now]))
        best = int(np.argmax(overlaps))
        return seen_now[best].person_id if overlaps[best] >= min_overlap else None

    def most_prominent(self, frame_index: int, width: int, height: int, excluding: Collection[int] = ()
                       ) -> int | None:
        """Id of the largest, most central person seen in this frame, other than ``excluding`` (None if nobody)."""
        seen_now = [t for t in self.tracks.values()
                    if t.last_seen_index == frame_index and t.person_id not in excluding]
        if not seen_now:
            return None
        return max(seen_now, key=lambda t: prominence(t.body_box_xyxy_px, width, height)).person_id
