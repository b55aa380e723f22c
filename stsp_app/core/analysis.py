"""The result of analysing a video, and its file format ``keypoints.json`` (docs/formats.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from stsp_app.core.atomic_write import atomic_path
from stsp_app.core.skeleton import JOINT_NAMES
from stsp_app.errors import InputError

FORMAT_VERSION = 1
KEYPOINTS_FILE = "keypoints.json"  # the name an analysis is saved under beside other results


@dataclass
class TrackedPerson:
    """A person seen in a frame: the analysed child or anyone else the tracker follows."""

    person_id: int
    box_xyxy_px: np.ndarray          # (4,)
    kp2d: np.ndarray | None = None   # (17, 3) x_px, y_px, confidence, where this person was analysed


@dataclass
class FrameResult:
    index: int
    time_s: float
    person_id: int | None = None          # the analysed person, if found in this frame
    kp2d: np.ndarray | None = None        # (17, 3) x_px, y_px, confidence; None: nobody found
    kp2d_raw33: np.ndarray | None = None  # (33, 3) BlazePose x_px, y_px, visibility
    # (17, 3) pelvis-relative, camera axes (x right, y down, z away), levelled where the phone's turn is known
    kp3d_mm: np.ndarray | None = None
    people: list[TrackedPerson] = field(default_factory=list)
    # (2, 3): this frame's pixels onto the first analysed frame's picture, following a hand-held camera
    # (stsp_app.epe.camera_motion); None where the analysis did not follow the camera
    scene_from_image: np.ndarray | None = None
    # Live only: kp2d and kp2d_raw33 as the landmark model gave them, before the causal filter that steadies the
    # skeleton on the screen. The live drill reads these through a video file's whole-clip 2D steps over its window
    # (stsp_app.drills.live). Not saved: a saved analysis holds the 2D its drills read.
    kp2d_unfiltered: np.ndarray | None = None
    kp2d_raw33_unfiltered: np.ndarray | None = None


def _place(frame: FrameResult, person: TrackedPerson) -> tuple[int, tuple[float, float, float, float]]:
    return frame.index, tuple(float(v) for v in person.box_xyxy_px)


# The setting that says an analysis timed a slow-motion video as filmed: the rate its file plays at.
FILE_FPS_SETTING = "file_fps"
# The setting that holds how far the phone was turned (degrees, stsp_app.epe.camera_roll; None: not readable),
# by which the 3D and the drills' picture are levelled.
CAMERA_ROLL_SETTING = "camera_roll_deg"
# How far the phone was pitched (degrees, positive looking down; stsp_app.epe.camera_roll; None: not readable), by
# which the 3D is turned to stand along gravity (stsp_app.lifting.upright).
CAMERA_PITCH_SETTING = "camera_pitch_deg"


@dataclass
class VideoAnalysis:
    fps: float
    width: int
    height: int
    frame_count: int
    frames: list[FrameResult] = field(default_factory=list)
    joint_names: tuple[str, ...] = JOINT_NAMES
    source: str = ""
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def capture_fps(self) -> float | None:
        """The rate a slow-motion video was filmed at, where the analysis timed it so (its ``fps``; the settings
        then also hold the rate the file plays at, ``stsp_app.pipeline.video_settings``); None otherwise."""
        return self.fps if FILE_FPS_SETTING in self.settings else None

    def note_stretch(self, start_frame: int, stop_frame: int) -> None:
        """Record in the settings which frames were analysed, where that is not the whole video."""
        if (start_frame, stop_frame) != (0, self.frame_count):
            self.settings["frames_analysed"] = [start_frame, stop_frame]

    @property
    def frames_with_person(self) -> int:
        return sum(frame.kp2d is not None for frame in self.frames)

    def first_place_of(self, person_id: int) -> tuple[int, tuple[float, float, float, float]] | None:
        """(frame index, body box) where a tracked person is first seen, or None: how another run of the
        pipeline can find them (``Pipeline(person_at=...)``; ids are not the same from run to run)."""
        for frame in self.frames:
            for person in frame.people:
                if person.person_id == person_id:
                    return _place(frame, person)
        return None

    def first_places(self) -> dict[int, tuple[int, tuple[float, float, float, float]]]:
        """:meth:`first_place_of` of everyone tracked, in one pass over the frames (a match has many)."""
        places = {}
        for frame in self.frames:
            for person in frame.people:
                if person.person_id not in places:
                    places[person.person_id] = _place(frame, person)
        return places

    def kp2d_array(self) -> np.ndarray:
        """(T, 17, 3) x_px, y_px, confidence with NaN rows for frames without the analysed person."""
        return self._stacked("kp2d")

    def person_ids(self) -> np.ndarray:
        """(T,) the analysed person's id on each frame: -1 where nobody was found, and on frames of an analysis
        that kept no ids (then the frames count as one person's)."""
        return np.array([-1 if frame.person_id is None or frame.kp2d is None else frame.person_id
                         for frame in self.frames], dtype=np.int64)

    def scene_maps(self) -> np.ndarray | None:
        """(T, 2, 3) each frame's ``scene_from_image`` (NaN where a frame has none), or None where no frame has one
        (an analysis that did not follow the camera)."""
        if all(frame.scene_from_image is None for frame in self.frames):
            return None
        return self._stacked("scene_from_image", rows=2)

    def kp3d_array(self) -> np.ndarray:
        """(T, 17, 3) millimetres with NaN rows where there is no 3D."""
        return self._stacked("kp3d_mm")

    def _stacked(self, field_name: str, rows: int | None = None) -> np.ndarray:
        """(T, rows, 3) float64 of a per-frame field (rows: one per joint by default), NaN where a frame has none."""
        out = np.full((len(self.frames), len(self.joint_names) if rows is None else rows, 3), np.nan)
        for i, frame in enumerate(self.frames):
            value = getattr(frame, field_name)
            if value is not None:
                out[i] = value
        return out

    def header_json_dict(self) -> dict[str, Any]:
        """keypoints.json without its frame list."""
        return {
            "format_version": FORMAT_VERSION,
            "source": self.source,
            "settings": self.settings,
            "fps": self.fps,
            "width": self.width,
            "height": self.height,
            "frame_count": self.frame_count,
            "joint_names": list(self.joint_names),
        }

    def save_json(self, path: str | Path) -> None:
        """Write atomically: a crash mid-write leaves the previous file intact."""
        write_keypoints_json(path, self, self.frames)

    @classmethod
    def load_json(cls, path: str | Path) -> VideoAnalysis:
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
            return cls(
                fps=float(data["fps"]),
                width=int(data["width"]),
                height=int(data["height"]),
                frame_count=int(data["frame_count"]),
                joint_names=tuple(data["joint_names"]),
                source=data.get("source", ""),
                settings=data.get("settings", {}),
                frames=[_frame_from_json(frame) for frame in data["frames"]],
            )
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise InputError(f"{path}: not a keypoints file ({error})") from None


def write_keypoints_json(path: str | Path, header: VideoAnalysis, frames: Iterable[FrameResult]) -> None:
    """keypoints.json from ``header`` (its frames are not read) and ``frames``, written as a stream, one frame
    at a time (a match's file is never built whole in memory), atomically."""
    with atomic_path(path) as temporary, open(temporary, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(header.header_json_dict(), separators=(",", ":"))[:-1] + ',"frames":[')
        for row, frame in enumerate(frames):
            handle.write(("," if row else "") + json.dumps(_frame_to_json(frame), separators=(",", ":")))
        handle.write("]}")


def _rounded(array: np.ndarray | None, decimals: int) -> list | None:
    return None if array is None else np.round(np.asarray(array, dtype=np.float64), decimals).tolist()


def _array(value: list | None) -> np.ndarray | None:
    return None if value is None else np.asarray(value, dtype=np.float64)


def _frame_to_json(frame: FrameResult) -> dict[str, Any]:
    return {
        "index": frame.index,
        "time_s": round(frame.time_s, 6),
        "person_id": frame.person_id,
        "kp2d": _rounded(frame.kp2d, 3),
        "kp2d_raw33": _rounded(frame.kp2d_raw33, 3),
        "kp3d": _rounded(frame.kp3d_mm, 1),
        "people": [
            {"person_id": p.person_id, "box_xyxy_px": _rounded(p.box_xyxy_px, 1)} for p in frame.people
        ],
        "scene_from_image": _rounded(frame.scene_from_image, 7),  # 1e-7 of a turn is 0.0002 px at 2000 px
    }


def _frame_from_json(data: dict[str, Any]) -> FrameResult:
    return FrameResult(
        index=int(data["index"]),
        time_s=float(data["time_s"]),
        person_id=data.get("person_id"),
        kp2d=_array(data.get("kp2d")),
        kp2d_raw33=_array(data.get("kp2d_raw33")),
        kp3d_mm=_array(data.get("kp3d")),
        people=[
            TrackedPerson(int(p["person_id"]), np.asarray(p["box_xyxy_px"], dtype=np.float64))
            for p in data.get("people", [])
        ],
        scene_from_image=_array(data.get("scene_from_image")),
    )
