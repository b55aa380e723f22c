"""One track per person with a stable id, from detector boxes and the analysed person's landmarks.

The landmark network follows the analysed person from frame to frame (its ROI comes from the previous
frame's landmarks). Everyone else is followed by the detector, which runs when the analysed person is lost
and, to notice people entering and leaving, at a low fixed rate. Boxes are associated to tracks greedily by
IoU; a track unseen for ``max_missing_frames`` ends. Ids count up from 1 in order of first appearance, so
the same video gives the same ids on every run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_ASSOCIATION_IOU = 0.2


@dataclass
class PersonTrack:
    person_id: int
    box_xyxy_px: np.ndarray  # body box where the person was last seen
    last_seen_index: int
    first_seen_index: int


def box_iou(a: np.ndarray, b: np.ndarray) -> float:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def prominence(box_xyxy_px: np.ndarray, width: int, height: int) -> float:
    """How likely a box is the person being filmed: large and central scores high."""
    box_w = box_xyxy_px[2] - box_xyxy_px[0]
    box_h = box_xyxy_px[3] - box_xyxy_px[1]
    relative_size = np.sqrt(max(box_w, 0) * max(box_h, 0) / (width * height))
    centre = np.array([(box_xyxy_px[0] + box_xyxy_px[2]) / 2, (box_xyxy_px[1] + box_xyxy_px[3]) / 2])
    off_centre = np.linalg.norm((centre - [width / 2, height / 2]) / [width / 2, height / 2]) / np.sqrt(2)
    return float(relative_size * (1.0 - 0.5 * min(off_centre, 1.0)))


class PersonTracker:
    def __init__(self, max_missing_frames: int = 60) -> None:
        self.max_missing_frames = max_missing_frames
        self.tracks: dict[int, PersonTrack] = {}
        self._next_id = 1

    def reset(self) -> None:
        self.tracks.clear()
        self._next_id = 1

    def update(self, boxes_xyxy_px: list[np.ndarray], frame_index: int) -> list[int]:
        """Associate this frame's detected body boxes to tracks; returns the person id of each box."""
        candidates = sorted(
            (
                (box_iou(box, track.box_xyxy_px), box_index, track.person_id)
                for box_index, box in enumerate(boxes_xyxy_px)
                for track in self.tracks.values()
            ),
            reverse=True,
        )
        ids: list[int | None] = [None] * len(boxes_xyxy_px)
        taken: set[int] = set()
        for iou, box_index, person_id in candidates:
            if iou < MIN_ASSOCIATION_IOU:
                break
            if ids[box_index] is None and person_id not in taken:
                ids[box_index] = person_id
                taken.add(person_id)
        for box_index, box in enumerate(boxes_xyxy_px):
            if ids[box_index] is None:
                ids[box_index] = self._next_id
                self.tracks[self._next_id] = PersonTrack(self._next_id, box, frame_index, frame_index)
                self._next_id += 1
            else:
                self.see(ids[box_index], box, frame_index)
        self.forget_missing(frame_index)
        return [int(i) for i in ids]

    def see(self, person_id: int, box_xyxy_px: np.ndarray, frame_index: int) -> None:
        track = self.tracks.setdefault(person_id, PersonTrack(person_id, box_xyxy_px, frame_index, frame_index))
        self._next_id = max(self._next_id, person_id + 1)
        track.box_xyxy_px = np.asarray(box_xyxy_px, dtype=np.float64)
        track.last_seen_index = frame_index

    def forget_missing(self, frame_index: int) -> None:
        for person_id in [
            pid for pid, t in self.tracks.items() if frame_index - t.last_seen_index > self.max_missing_frames
        ]:
            del self.tracks[person_id]

    def visible(self, frame_index: int, within_frames: int) -> list[PersonTrack]:
        """Tracks seen in the last ``within_frames`` frames, by id."""
        return [t for _, t in sorted(self.tracks.items()) if frame_index - t.last_seen_index <= within_frames]

    def most_prominent(self, frame_index: int, width: int, height: int) -> int | None:
        """Id of the largest, most central person seen in this frame (None if nobody)."""
        seen_now = [t for t in self.tracks.values() if t.last_seen_index == frame_index]
        if not seen_now:
            return None
        return max(seen_now, key=lambda t: prominence(t.box_xyxy_px, width, height)).person_id
