"""Frames from a video file or an image folder, with one clear error for each kind of bad input."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from stsp_app.errors import InputError

log = logging.getLogger(__name__)

# FFmpeg (inside OpenCV) prints its own complaints about damaged files on stderr; this module reports each
# problem once, in words, so keep FFmpeg quiet unless the user asks otherwise.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"})
DEFAULT_IMAGE_FOLDER_FPS = 30.0


class TruncatedVideoError(InputError):
    """The video ended (or stopped decoding) before the frame count its container announces."""


class VideoSource:
    """Opens a video file (any format OpenCV reads) or a folder of images.

    Iterating yields ``(index, time_s, frame_bgr)``; ``read(index)`` gives one frame by index (frame-accurate,
    sequential reads are cheap, jumps seek). ``frame_count`` is what the container announces. Phones' files often
    announce more frames than they hold, and a truncated file looks the same to the decoder: iteration yields
    every frame that decodes, then stops; ``frames_decoded`` then holds how many did, and ``shortfall_message``
    a sentence for the user (None while the file held what it announced).
    """

    def __init__(self, path: str | Path, fps_for_images: float = DEFAULT_IMAGE_FOLDER_FPS) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise InputError(f"{self.path}: no such file or folder")
        self._image_paths: list[Path] | None = None
        self._capture: cv2.VideoCapture | None = None
        self._next_index = 0
        if self.path.is_dir():
            self._open_image_folder(fps_for_images)
        else:
            self._open_video_file()

    def _open_image_folder(self, fps: float) -> None:
        images = sorted(p for p in self.path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not images:
            raise InputError(f"{self.path}: the folder holds no images ({', '.join(sorted(IMAGE_SUFFIXES))})")
        first = cv2.imread(str(images[0]), cv2.IMREAD_COLOR)
        if first is None:
            raise InputError(f"{images[0]}: not an image OpenCV can read")
        self._image_paths = images
        self.fps = float(fps)
        self.height, self.width = first.shape[:2]
        self.frame_count = len(images)

    def _open_video_file(self) -> None:
        if self.path.stat().st_size == 0:
            raise InputError(f"{self.path}: the file is empty")
        capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            raise InputError(f"{self.path}: not a video OpenCV can read")
        width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
        height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        frame_count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        if width <= 0 or height <= 0:
            capture.release()
            raise InputError(f"{self.path}: not a video OpenCV can read (no picture size)")
        fps = float(capture.get(cv2.CAP_PROP_FPS))
        if not np.isfinite(fps) or fps <= 0 or fps > 1000:
            log.warning("%s: the video gives no usable frame rate; assuming 30 frames/s", self.path)
            fps = 30.0
        if frame_count <= 0:
            # Streams without an index (raw MJPEG, some recordings) announce no count: count by grabbing.
            frame_count = 0
            while capture.grab():
                frame_count += 1
            capture.release()
            if frame_count == 0:
                raise InputError(f"{self.path}: the video has no frames")
            capture = cv2.VideoCapture(str(self.path))
        self._capture = capture
        self.fps, self.width, self.height = fps, width, height
        self.frame_count = frame_count
        self.frames_decoded: int | None = None
        self.shortfall_message: str | None = None

    @property
    def is_image_folder(self) -> bool:
        return self._image_paths is not None

    def time_of(self, index: int) -> float:
        return index / self.fps

    def read(self, index: int) -> np.ndarray:
        """Frame ``index`` as BGR uint8 (H, W, 3); raises InputError if it cannot be decoded."""
        if not 0 <= index < self.frame_count:
            raise IndexError(f"frame {index} outside 0..{self.frame_count - 1}")
        if self._image_paths is not None:
            frame = cv2.imread(str(self._image_paths[index]), cv2.IMREAD_COLOR)
            if frame is None:
                raise InputError(f"{self._image_paths[index]}: not an image OpenCV can read")
            if frame.shape[:2] != (self.height, self.width):
                frame = cv2.resize(frame, (self.width, self.height), interpolation=cv2.INTER_AREA)
            return frame
        assert self._capture is not None
        if index != self._next_index:
            self._seek(index)
        ok, frame = self._capture.read()
        if not ok or frame is None:
            self._next_index = -1
            raise TruncatedVideoError(
                f"{self.path}: frame {index} cannot be decoded (the file may be truncated or damaged)"
            )
        self._next_index = index + 1
        return frame

    def _seek(self, index: int) -> None:
        assert self._capture is not None
        self._capture.set(cv2.CAP_PROP_POS_FRAMES, index)
        if round(self._capture.get(cv2.CAP_PROP_POS_FRAMES)) == index:
            return
        # Streams without an index cannot seek (OpenCV may even report success and stay put): start again
        # and step forward to the frame.
        self._capture.release()
        self._capture = cv2.VideoCapture(str(self.path))
        for _ in range(index):
            self._capture.grab()

    def __iter__(self) -> Iterator[tuple[int, float, np.ndarray]]:
        for index in range(self.frame_count):
            try:
                frame = self.read(index)
            except TruncatedVideoError:
                self.frames_decoded = index
                if self._is_clearly_short(index):
                    self.shortfall_message = (
                        f"{self.path.name}: the video stops after {index} of the {self.frame_count} frames it "
                        "announces (as phones' files often do, or the file is truncated): every frame that "
                        "decodes was analysed")
                    log.warning(self.shortfall_message)
                else:
                    log.info("%s: %d frames decoded of %d announced", self.path, index, self.frame_count)
                return
            yield index, self.time_of(index), frame
        self.frames_decoded = self.frame_count

    def _is_clearly_short(self, decoded: int) -> bool:
        """Containers often announce a frame or two more than they hold; more than that is damage."""
        return self.frame_count - decoded > max(2, round(0.01 * self.frame_count))

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def __enter__(self) -> VideoSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
