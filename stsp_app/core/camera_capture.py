"""Webcam capture for live analysis: a reader thread that keeps only the newest frame.

The analysis takes whatever frame is newest when it is ready for the next one; frames that arrive in between
are dropped, never queued, so the skeleton stays close behind the camera however slow the models are. Every
captured frame can also be written to a video file (the session recording).
"""

from __future__ import annotations

import glob
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from stsp_app.errors import InputError

RESOLUTIONS: tuple[tuple[int, int], ...] = ((640, 480), (1280, 720), (1920, 1080))
# A camera that delivers no picture for this long has gone (unplugged, or taken by another program).
CAMERA_SILENCE_S = 3.0


def available_cameras(max_index: int = 8) -> list[int]:
    """Indices of the cameras that open. On Linux only /dev/video* devices are tried."""
    if sys.platform.startswith("linux"):
        candidates = sorted(int(path[len("/dev/video"):]) for path in glob.glob("/dev/video*")
                            if path[len("/dev/video"):].isdigit())
    else:
        candidates = list(range(max_index))
    found = []
    for index in candidates:
        capture = cv2.VideoCapture(index)
        try:
            if capture.isOpened() and capture.read()[0]:
                found.append(index)
        finally:
            capture.release()
    return found


def is_stream_url(source: object) -> bool:
    """Whether a live source is a network camera's address (``rtsp://``, ``http://``, ``https://``…)."""
    return isinstance(source, str) and "://" in source


def source_name(source: int | str | Path) -> str:
    """A live source as the user knows it: ``camera 0``, ``the network camera rtsp://…``, a file's name."""
    if isinstance(source, int):
        return f"camera {source}"
    if is_stream_url(source):
        return f"the network camera {shown_url(source)}"
    return Path(source).name


def shown_url(url: str) -> str:
    """The address without its password, for messages and titles."""
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else f"{scheme}://{user}@{host}"


@dataclass
class CapturedFrame:
    frame_bgr: np.ndarray
    capture_time_s: float  # time.monotonic() when it was read
    sequence: int          # 0, 1, 2... for every frame the camera delivered


class LatestFrameCamera:
    """Reads a camera on its own thread; :meth:`latest` gives the newest frame, older ones are dropped.

    ``source`` is a camera index, a network camera's stream URL (``rtsp://…``, ``http://…``, as gyms mount
    them), or a video file played in real time as if it were a camera. ``ended`` is set when the file ends, or
    when the camera stops or reading or recording fails; ``failure`` then says why. The recording is closed as
    soon as the camera stops, so it holds every frame until then as a playable file.

    Opening it finds the camera (and its frame rate); reading starts with :meth:`start`, once whoever takes the
    frames is ready: a file played as a camera then loses none of its first frames while the models load.
    """

    def __init__(self, source: int | str | Path, width: int, height: int,
                 record_path: str | Path | None = None) -> None:
        stream = is_stream_url(source)
        self._from_file = not isinstance(source, int) and not stream
        self._name = source_name(source)
        self._capture = cv2.VideoCapture(source if isinstance(source, int) else str(source))
        if not self._capture.isOpened():
            self._capture.release()
            if self._from_file:
                raise InputError(f"{source}: not a video OpenCV can read")
            if stream:
                raise InputError(f"{self._name} cannot be opened (check the address, the network, and the user "
                                 "name and password in the address)")
            raise InputError(f"camera {source} cannot be opened (is another program using it?)")
        if isinstance(source, int):
            self._capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            self._capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        fps = float(self._capture.get(cv2.CAP_PROP_FPS))
        self.fps = fps if np.isfinite(fps) and 0 < fps <= 1000 else 30.0
        self.ended = threading.Event()
        self.failure: str | None = None
        self.record_path = Path(record_path) if record_path else None
        self._writer: cv2.VideoWriter | None = None
        self._lock = threading.Lock()
        self._latest: CapturedFrame | None = None
        self._stop = threading.Event()
        self.frames_read = 0
        self._thread = threading.Thread(target=self._read_loop, name="camera-reader", daemon=True)

    def start(self) -> "LatestFrameCamera":
        """Start reading frames on the camera's own thread."""
        self._thread.start()
        return self

    def _read_loop(self) -> None:
        try:
            self._read_frames()
        except InputError as error:
            self.failure = str(error)
        except Exception as error:  # the analysis waiting for frames must hear of it
            self.failure = f"{self._name} could not be read: {error}"
        finally:
            self._close_recording()  # a camera that stops leaves a playable recording of everything so far
        self.ended.set()

    def _close_recording(self) -> None:
        if self._writer is not None:
            self._writer.release()
            self._writer = None

    def _read_frames(self) -> None:
        start_s = last_frame_s = time.monotonic()
        while not self._stop.is_set():
            if self._from_file:
                # A file delivers its frames at their own pace, like a camera.
                wait_s = start_s + self.frames_read / self.fps - time.monotonic()
                if wait_s > 0:
                    time.sleep(wait_s)
            ok, frame = self._capture.read()
            if not ok:
                if self._from_file:
                    return
                if time.monotonic() - last_frame_s > CAMERA_SILENCE_S:
                    raise InputError(f"{self._name} stopped sending pictures (unplugged, or taken by another "
                                     "program?)")
                time.sleep(0.01)
                continue
            last_frame_s = time.monotonic()
            if self.record_path is not None:
                self._record(frame)
            with self._lock:
                self._latest = CapturedFrame(frame, time.monotonic(), self.frames_read)
                self.frames_read += 1

    def _record(self, frame: np.ndarray) -> None:
        if self._writer is None:
            height, width = frame.shape[:2]
            try:
                self.record_path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise InputError(f"cannot record to {self.record_path}: {error.strerror or error}") from error
            self._writer = cv2.VideoWriter(str(self.record_path), cv2.VideoWriter_fourcc(*"mp4v"), self.fps,
                                           (width, height))
            if not self._writer.isOpened():
                raise InputError(f"cannot record to {self.record_path}: the file cannot be written")
        self._writer.write(frame)

    def latest(self, newer_than: int = -1) -> CapturedFrame | None:
        """The newest frame if its sequence number is above ``newer_than``, else None."""
        with self._lock:
            if self._latest is None or self._latest.sequence <= newer_than:
                return None
            return self._latest

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2.0)
        self._capture.release()
        if not self._thread.is_alive():
            self._close_recording()
