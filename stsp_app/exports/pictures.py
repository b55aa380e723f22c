"""Pictures of analysed frames for exports and the report: the video frame, faces blurred, the skeleton drawn.

Faces are blurred unless the caller turns it off (:mod:`stsp_app.exports.face_blur`); the blur comes before the
skeleton, so the drawing stays crisp. The skeleton uses the app's side colours (left blue, right orange);
joints below the 2D confidence threshold are drawn hollow and their bones thin, as in the app's video view.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import cv2
import numpy as np

from stsp_app.core.analysis import FrameResult, VideoAnalysis
from stsp_app.core.atomic_write import atomic_path
from stsp_app.core.drawing_style import SIDE_COLOURS_RGB, bone_colour_rgb
from stsp_app.core.skeleton import BONES, NUM_JOINTS, bone_side
from stsp_app.core.video_source import VideoSource
from stsp_app.errors import InputError
from stsp_app.exports import face_blur
from stsp_app.kinematics.joint_angles import MIN_CONFIDENCE_2D

# A picture's file name: the analysed video's stem, the video frame, the moment ("_takeoff", "_rep1_deepest"; "").
PICTURE_NAME = "{stem}_frame{index:05d}{label}.png"


def _bgr(rgb: tuple[float, float, float]) -> tuple[int, int, int]:
    return round(rgb[2] * 255), round(rgb[1] * 255), round(rgb[0] * 255)


def draw_skeleton_2d(image_bgr: np.ndarray, kp2d: np.ndarray) -> np.ndarray:
    """A copy of the image with the 17-joint skeleton (x_px, y_px, confidence) drawn, sized to the picture."""
    out = np.array(image_bgr, dtype=np.uint8, copy=True)
    kp2d = np.asarray(kp2d, dtype=np.float64)
    line_px = max(2, round(min(out.shape[:2]) / 240))
    confident = kp2d[:, 2] >= MIN_CONFIDENCE_2D
    placed = np.isfinite(kp2d[:, :2]).all(axis=1)
    points = [(round(x), round(y)) if ok else None for (x, y), ok in zip(kp2d[:, :2], placed)]
    for parent, child in BONES:
        if points[parent] is None or points[child] is None:
            continue
        width = line_px if confident[parent] and confident[child] else max(1, line_px // 2)
        cv2.line(out, points[parent], points[child], _bgr(bone_colour_rgb(parent, child)), width, cv2.LINE_AA)
    for joint in range(NUM_JOINTS):
        if points[joint] is None:
            continue
        fill = -1 if confident[joint] else max(1, line_px // 2)
        cv2.circle(out, points[joint], line_px + 1, _bgr(SIDE_COLOURS_RGB[bone_side(0, joint)]), fill, cv2.LINE_AA)
    return out


def analysed_frame(analysis: VideoAnalysis, frame_index: int) -> FrameResult:
    for frame in analysis.frames:
        if frame.index == frame_index:
            return frame
    last = analysis.frames[-1].index if analysis.frames else -1
    raise InputError(f"frame {frame_index} was not analysed (the analysis holds frames 0-{last})")


def render_frame(image_bgr: np.ndarray, frame: FrameResult, *, draw_skeleton: bool = True,
                 blur_faces: bool = True) -> np.ndarray:
    """The picture of one analysed frame from its video image."""
    picture = face_blur.blur_faces(image_bgr, frame) if blur_faces else np.array(image_bgr, dtype=np.uint8, copy=True)
    if draw_skeleton and frame.kp2d is not None:
        picture = draw_skeleton_2d(picture, frame.kp2d)
    return picture


def open_video_of(analysis: VideoAnalysis, video_path: str | Path) -> VideoSource:
    """The analysed video, checked to have the analysis's picture size (another video would misplace
    every face and joint)."""
    video = VideoSource(video_path)
    if (video.width, video.height) != (analysis.width, analysis.height):
        video.close()
        raise InputError(f"{video_path}: the video is {video.width}x{video.height} px but the analysis is of a "
                         f"{analysis.width}x{analysis.height} px video: not the analysed video")
    return video


def frame_picture(video_path: str | Path, frame_index: int, analysis: VideoAnalysis, *,
                  draw_skeleton: bool = True, blur_faces: bool = True) -> np.ndarray:
    """Video frame ``frame_index`` as BGR with faces blurred and the skeleton drawn (each can be turned off)."""
    frame = analysed_frame(analysis, frame_index)
    with open_video_of(analysis, video_path) as video:
        image_bgr = video.read(frame_index)
    return render_frame(image_bgr, frame, draw_skeleton=draw_skeleton, blur_faces=blur_faces)


def save_picture(path: str | Path, image_bgr: np.ndarray) -> None:
    """Write a picture atomically; the format follows the suffix (.png, .jpg)."""
    path = Path(path)
    try:
        ok, encoded = cv2.imencode(path.suffix.lower() or ".png", image_bgr)
    except cv2.error:
        ok = False
    if not ok:
        raise InputError(f"{path}: cannot encode a picture in the {path.suffix or 'missing'} format")
    with atomic_path(path) as temporary:
        temporary.write_bytes(encoded.tobytes())


def key_frames(drill_result: Mapping[str, Any]) -> list[tuple[int, str]]:
    """(video frame, label) of a drill result's moments, in time order: its events (take-off, landing …,
    with their side) and each rep's deepest point. A frame named twice keeps the first label."""
    moments = [(int(event["frame"]), "_".join(filter(None, (event.get("side"), event["kind"]))))
               for event in drill_result.get("events", [])]
    moments += [(int(rep["deepest_frame"]), f"rep{number}_deepest")
                for number, rep in enumerate(drill_result.get("reps", []), start=1)]
    chosen: dict[int, str] = {}
    for frame_index, label in sorted(moments, key=lambda moment: moment[0]):
        chosen.setdefault(frame_index, label)
    return sorted(chosen.items())
