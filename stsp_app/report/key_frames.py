"""The pictures of a session's key moments (take-off, landing, the deepest point …), faces blurred.

Which moments: those of :func:`stsp_app.exports.pictures.key_frames` (the drill's events and each rep's
deepest point), narrowed to one movement so that the page stays readable: the headline rep's moments where the
drill has reps with events (a vertical jump's highest jump), every rep's deepest point where its reps have none
(a squat), else the first moment of each kind and side (a run's first foot strike and toe-off per foot), at most
``MAX_KEY_FRAMES``.

The pictures come from the session's video through :func:`stsp_app.exports.pictures.render_frame` (every face
the analysis locates or the detector finds in the picture blurred unless ``blur_faces`` is False, the skeleton
drawn), then are cropped to the child (one frame for all the session's pictures, so that they compare at one
scale; it also leaves out most bystanders). The video is checked to be the
filmed one by its sha256; a video that has moved, changed or cannot be read gives a sentence saying so instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import cv2
import numpy as np

from stsp_app.core.analysis import FrameResult, VideoAnalysis
from stsp_app.core.content_hash import file_sha256
from stsp_app.drills.moments import rep_event_kind
from stsp_app.drills.wording import capitalised, moment_words
from stsp_app.errors import InputError
from stsp_app.exports.pictures import analysed_frame, key_frames, open_video_of, render_frame
from stsp_app.kinematics.joint_angles import MIN_CONFIDENCE_2D

MAX_KEY_FRAMES = 6
# Moments up to this many frames apart are reached by reading on through the video rather than by seeking:
# a seek decodes from the last keyframe (about a second on a phone's 1080p video), reading on a few ms a frame.
MAX_FRAMES_READ_THROUGH = 90
# The crop around the child: a margin of this share of the child's height on every side, widened to at least
# this width:height. A tight crop shows the movement large and leaves out most bystanders, whom the analysis
# blurs only while its tracker follows them.
CROP_MARGIN_SHARE = 0.1
CROP_MIN_ASPECT = 0.5
PICTURE_WIDTH_PX = 720   # the embedded pictures: sharp at 6 cm wide, small enough for a report sent by email
JPEG_QUALITY = 88


@dataclass(frozen=True)
class KeyFrame:
    """One key moment's picture (JPEG bytes) and what it shows."""

    frame_index: int
    time_s: float
    caption: str
    picture_jpeg: bytes


@dataclass(frozen=True)
class KeyFramePictures:
    """The pictures of a session, or (``problem``) why there are none."""

    frames: list[KeyFrame]
    problem: str | None = None


def chosen_moments(drill_result: Mapping[str, Any]) -> list[tuple[int, str]]:
    """(video frame, caption) of the moments the report shows, in time order."""
    reps = drill_result.get("reps", [])
    captions = {frame: _caption(drill_result, frame, len(reps)) for frame, _ in key_frames(drill_result)}
    if reps:
        rep = headline_rep(drill_result)
        moments = [(frame, caption) for frame, caption in captions.items()
                   if rep["start_frame"] <= frame <= rep["end_frame"]]
        if len(moments) <= 1:
            moments = [(int(rep["deepest_frame"]), captions[int(rep["deepest_frame"])]) for rep in reps]
    else:
        first_of_kind: dict[str, int] = {}
        for frame, caption in captions.items():
            first_of_kind.setdefault(caption, frame)
        moments = [(frame, caption) for caption, frame in first_of_kind.items()]
    return sorted(moments)[:MAX_KEY_FRAMES]


def _caption(drill_result: Mapping[str, Any], frame: int, rep_count: int) -> str:
    """What happens at this frame: its events (one side's, or both sides' at once), else any rep's deepest point
    (a throw's or a kick's rep has its release or ball contact there: the event says it)."""
    kinds: dict[str, list[str]] = {}
    for event in drill_result.get("events", []):
        if int(event["frame"]) == frame:
            kinds.setdefault(event["kind"], []).append(event.get("side"))
    parts = [capitalised(moment_words(kind, sides[0] if len(sides) == 1 else None)) for kind, sides in kinds.items()]
    for number, rep in enumerate(drill_result.get("reps", []), start=1):
        if int(rep["deepest_frame"]) == frame and rep_event_kind(drill_result, rep) is None:
            parts.append(capitalised(moment_words("deepest", rep=number if rep_count > 1 else None)))
    return " / ".join(parts)


def headline_rep(drill_result: Mapping[str, Any]) -> Mapping[str, Any]:
    """The rep whose metrics the headline repeats (a vertical jump's highest jump), else the first rep."""
    headline = drill_result.get("metrics", {})
    for rep in drill_result["reps"]:
        shared = set(rep["metrics"]) & set(headline)
        if shared and all(rep["metrics"][name]["value"] == headline[name]["value"] for name in shared):
            return rep
    return drill_result["reps"][0]


def key_frame_pictures(drill_result: Mapping[str, Any], analysis: VideoAnalysis, video_path: str | None,
                       video_sha256: str | None, *, blur_faces: bool = True) -> KeyFramePictures:
    """The pictures of the chosen moments, or the reason there are none (no video, moved, changed …)."""
    moments = [(frame, caption) for frame, caption in chosen_moments(drill_result)
               if any(analysed.index == frame for analysed in analysis.frames)]
    if not moments:
        return KeyFramePictures([], "The drill marked no moment in the analysed frames.")
    if not video_path:
        return KeyFramePictures([], "No video is recorded for this session, so its key moments cannot be shown.")
    if not Path(video_path).is_file():
        return KeyFramePictures([], f"The video {video_path} is no longer there (moved or deleted), so its key "
                                    "moments cannot be shown.")
    try:
        if video_sha256 is not None and file_sha256(video_path) != video_sha256:
            return KeyFramePictures([], f"The file {video_path} is no longer the filmed video (its content "
                                        "changed), so its key moments are not shown.")
        frames = [analysed_frame(analysis, frame_index) for frame_index, _ in moments]
        crop = child_crop(frames, analysis.width, analysis.height)
        pictures = []
        with open_video_of(analysis, video_path) as video:
            read_up_to = None
            for frame, (frame_index, caption) in zip(frames, moments):
                if read_up_to is not None and frame_index - read_up_to <= MAX_FRAMES_READ_THROUGH:
                    for skipped in range(read_up_to + 1, frame_index):
                        video.read(skipped)
                read_up_to = frame_index
                picture = render_frame(video.read(frame_index), frame, blur_faces=blur_faces)
                left, top, right, bottom = crop
                pictures.append(KeyFrame(frame_index, frame.time_s, caption, _jpeg(picture[top:bottom, left:right])))
    except InputError as error:
        return KeyFramePictures([], f"The key moments cannot be shown: {error}.")
    return KeyFramePictures(pictures)


def child_crop(frames: list[FrameResult], width_px: int, height_px: int) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) pixels around the child in all these frames, with a margin, at least
    ``CROP_MIN_ASPECT`` wide, inside the picture; the whole picture when the child was not found."""
    points = []
    for frame in frames:
        for keypoints in (frame.kp2d, frame.kp2d_raw33):
            if keypoints is not None:
                keypoints = np.asarray(keypoints, dtype=np.float64)
                points.append(keypoints[keypoints[:, 2] >= MIN_CONFIDENCE_2D, :2])
    points = np.concatenate(points) if points else np.empty((0, 2))
    points = points[np.isfinite(points).all(axis=1)]
    if len(points) == 0:
        return 0, 0, width_px, height_px
    (left, top), (right, bottom) = points.min(axis=0), points.max(axis=0)
    margin = CROP_MARGIN_SHARE * max(bottom - top, right - left)
    left, top, right, bottom = left - margin, top - margin, right + margin, bottom + margin
    width, height = right - left, bottom - top
    width = max(width, CROP_MIN_ASPECT * height)
    width, height = min(width, width_px), min(height, height_px)
    centre_x, centre_y = (left + right) / 2, (top + bottom) / 2
    left = int(round(min(max(centre_x - width / 2, 0), width_px - width)))
    top = int(round(min(max(centre_y - height / 2, 0), height_px - height)))
    return left, top, left + int(round(width)), top + int(round(height))


def _jpeg(picture_bgr: np.ndarray) -> bytes:
    """The picture scaled to ``PICTURE_WIDTH_PX`` wide (never enlarged) as JPEG bytes."""
    height, width = picture_bgr.shape[:2]
    if width > PICTURE_WIDTH_PX:
        picture_bgr = cv2.resize(picture_bgr, (PICTURE_WIDTH_PX, round(height * PICTURE_WIDTH_PX / width)),
                                 interpolation=cv2.INTER_AREA)
    ok, encoded = cv2.imencode(".jpg", picture_bgr, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise RuntimeError("OpenCV could not encode a key-frame picture as JPEG")
    return encoded.tobytes()
