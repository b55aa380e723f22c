"""Frames from a video file or an image folder, with one clear error for each kind of bad input."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from stsp_app.core.content_hash import file_sha256, files_sha256
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
    sequential reads are cheap, jumps seek). Times are the decoder's timestamps where the container has them, so
    a variable-frame-rate video (as phones record) keeps its true times; ``fps`` is the average rate. ``frame_count`` is what the container announces. Phones' files often
    announce more frames than they hold, and a truncated file looks the same to the decoder: iteration yields
    every frame that decodes, then stops; ``frames_decoded`` then holds how many did, and ``shortfall_message``
    a sentence for the user (None while the file held what it announced).

    A slow-motion video plays slower than it was filmed: a phone films at 120 or 240 frames/s and stores a file
    that plays at 30. ``capture_fps`` is the rate it was filmed at; every time and ``fps`` are then real time
    (the file's times divided by ``slow_motion_factor``), so that flight times, speeds and filters are right.
    ``file_fps`` is the container's own average rate either way; ``capture_fps`` is None for a video that plays
    as it was filmed.
    """

    def __init__(self, path: str | Path, fps_for_images: float = DEFAULT_IMAGE_FOLDER_FPS,
                 capture_fps: float | None = None) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise InputError(f"{self.path}: no such file or folder")
        self._image_paths: list[Path] | None = None
        self._capture: cv2.VideoCapture | None = None
        self._next_index = 0
        self._times_s: dict[int, float] = {}      # decoder timestamps of the frames read so far, in real time
        self._has_timestamps = True               # False once the decoder shows it has none (all zero)
        if self.path.is_dir():
            if capture_fps is not None:
                raise InputError(f"{self.path}: an image folder has no frame rate of its own to correct; give the "
                                 "rate its images were taken at as the folder's frame rate instead")
            self._open_image_folder(fps_for_images)
        else:
            self._open_video_file()
        self.file_fps = self.fps
        self.slow_motion_factor = slow_motion_factor(capture_fps, self.file_fps, self.path.name)
        self.fps = self.file_fps * self.slow_motion_factor
        self.capture_fps = None if self.slow_motion_factor == 1.0 else self.fps

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

    def content_sha256(self) -> str:
        """The sha256 of the video file's bytes (of an image folder: of its images' hashes, in order)."""
        if self._image_paths is not None:
            return files_sha256(self._image_paths)
        return file_sha256(self.path)

    def time_of(self, index: int) -> float:
        """Seconds from the video's start to frame ``index``: its decoder timestamp once the frame has been read,
        otherwise (and for image folders and streams without timestamps) ``index / fps``."""
        return self._times_s.get(index, index / self.fps)

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
        self._note_timestamp(index)
        return frame

    def _note_timestamp(self, index: int) -> None:
        if not self._has_timestamps:
            return
        time_s = self._capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
        if index > 0 and time_s <= 0.0:
            # Streams without timestamps (raw MJPEG, some recordings) report 0 for every frame.
            self._has_timestamps = False
            self._times_s.clear()
        elif np.isfinite(time_s) and time_s >= 0.0:
            self._times_s[index] = time_s / self.slow_motion_factor

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
        return self.frames()

    def frames(self, start: int = 0, stop: int | None = None) -> Iterator[tuple[int, float, np.ndarray]]:
        """``(index, time_s, frame_bgr)`` for frames ``start`` to ``stop - 1`` (default: to the end)."""
        stop = self.frame_count if stop is None else min(stop, self.frame_count)
        for index in range(start, stop):
            try:
                frame = self.read(index)
            except TruncatedVideoError:
                self.frames_decoded = index
                if clearly_short(self.frame_count, index):
                    self.shortfall_message = f"{self.path.name}: {shortfall_text(self.frame_count, index)}"
                    log.warning(self.shortfall_message)
                else:
                    log.info("%s: %d frames decoded of %d announced", self.path, index, self.frame_count)
                return
            yield index, self.time_of(index), frame
        if stop == self.frame_count:
            self.frames_decoded = self.frame_count

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def __enter__(self) -> VideoSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# Phones film slow motion at up to 960 frames/s (Sony, Samsung "super slow-mo"); more is not a video of sport.
MAX_CAPTURE_FPS = 1000.0
# Rates this close are one rate (a container's average of a variable frame rate and its nominal one differ so).
SAME_RATE_TOLERANCE = 0.01


def slow_motion_factor(capture_fps: float | None, file_fps: float, name: str) -> float:
    """How many times slower than it was filmed a video plays: ``capture_fps`` / ``file_fps`` (1 when the rate
    it was filmed at is not given, or within 1 % of the file's). A capture rate below the file's own would be a
    time-lapse, which no drill measures: that, and a rate that is no number, are the user's typing and get one
    clear error."""
    if capture_fps is None or abs(capture_fps / file_fps - 1.0) < SAME_RATE_TOLERANCE:
        return 1.0
    if not (np.isfinite(capture_fps) and file_fps < capture_fps <= MAX_CAPTURE_FPS):
        raise InputError(
            f"{name}: filmed at {capture_fps:g} frames/s? A slow-motion video is filmed faster than it plays "
            f"({file_fps:.4g} frames/s here): give the rate it was filmed at, {file_fps:.4g} to "
            f"{MAX_CAPTURE_FPS:g} (120 or 240 on most phones)")
    return capture_fps / file_fps


def clearly_short(announced: int, decoded: int) -> bool:
    """Containers often announce a frame or two more than they hold; more than that is worth saying."""
    return announced - decoded > max(2, round(0.01 * announced))


def shortfall_text(announced: int, decoded: int) -> str:
    return (f"the video stops after {decoded} of the {announced} frames it announces (as phones' files often do, "
            "or the file is truncated): every frame that decodes was analysed")


def frame_at(text: str, fps: float, frame_count: int) -> int:
    """The frame index a user means by ``text``: seconds (``12.5``, ``12.5s``), minutes and seconds (``1:02.5``),
    hours too (``1:02:03``), or a frame number (``300f``). Raises InputError for anything else or a place past
    the video's end."""
    written = text.strip().lower()
    try:
        if written.endswith("f"):
            index = int(written[:-1])
        else:
            seconds = 0.0
            for part in written.removesuffix("s").split(":"):
                seconds = 60.0 * seconds + float(part)
            if not np.isfinite(seconds):
                raise ValueError(text)
            index = int(round(seconds * fps))
    except ValueError:
        raise InputError(f"{text!r}: give a time in seconds (12.5), minutes and seconds (1:02.5) "
                         "or a frame number (300f)") from None
    if not 0 <= index < frame_count:
        raise InputError(f"{text!r} is outside the video (frames 0-{frame_count - 1}, "
                         f"{frame_count / fps:.2f} s)")
    return index
