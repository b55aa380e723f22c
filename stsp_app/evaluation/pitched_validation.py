"""``stsp-coach eval-drills --part pitched``: the labelled clips filmed with the phone pitched up or down.

Each of the squat and jump clips is seen as by the same phone turned about its horizontal axis by each of
``PITCHES_DEG`` (positive: looking further down): the picture mapped by the rotation's homography through the
lens the analysis takes (``core.lens``; the clips' own lens is not known, so the copy is what a phone with that
lens would film, and the pitch read is checked against the lens it assumes: the mocap part of docs/RESULTS.md "A
phone pitched down" measures what another lens costs). Each copy keeps the picture's size and centre, cut at both
sides to the columns that have picture on every row (a copy's black wedges have edges of their own, pointing where
the rotation's uprights point), and is analysed as ``stsp-coach analyze`` does it. Per copy: the pitch the analysis
read (``settings.camera_pitch_deg``) against the pitch added to the 0-degree copy's reading, and what the drills
read, as ``--part turned`` reads its copies (``turned_validation.drill_reading``): the trunk lean of each squat rep
at depth and of the jump clip's girl standing before her jump among them. Upright in the world, the trunk should
read the same on every copy.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from scipy.spatial.transform import Rotation

from stsp_app.core.analysis import CAMERA_PITCH_SETTING
from stsp_app.core.lens import assumed_focal_px
from stsp_app.core.video_source import VideoSource
from stsp_app.evaluation.turned_validation import CLIPS, copies_read, drill_reading
from stsp_app.lifting.cameras import intrinsics

PITCHES_DEG = (0.0, -10.0, 10.0, 15.0)


def pitch_homography(picture_size_px: tuple[int, int], pitch_deg: float) -> np.ndarray:
    """(3, 3) the map from a picture to the one the same camera films turned down by ``pitch_deg`` about its
    horizontal axis, through the lens :func:`~stsp_app.core.lens.assumed_focal_px` takes."""
    K = intrinsics(assumed_focal_px(picture_size_px), picture_size_px)
    # Camera axes: x right, y down, z forward. Looking further down turns the forward axis towards +y, so a
    # point's coordinates in the turned camera are the old ones turned the other way about x.
    turn = Rotation.from_rotvec([np.radians(pitch_deg), 0.0, 0.0]).as_matrix()
    return K @ turn @ np.linalg.inv(K)


def write_pitched(source: Path, path: Path, pitch_deg: float) -> tuple[int, int]:
    """``source`` as filmed pitched by ``pitch_deg`` (:func:`pitch_homography`), cut at both sides to the columns
    with picture on every row that has any, into ``path``; returns the copy's size (width, height)."""
    video = VideoSource(source)
    width, height = video.width, video.height
    homography = pitch_homography((width, height), pitch_deg)
    corners = cv2.perspectiveTransform(np.array([[[0, 0], [width, 0], [width, height], [0, height]]], np.float64),
                                       homography)[0]
    left_px = max(corners[0, 0], corners[3, 0], 0.0)
    right_px = min(corners[1, 0], corners[2, 0], float(width))
    margin = int(np.ceil(max(left_px, width - right_px))) + 2  # the same cut at both sides keeps the centre
    size = ((width - 2 * margin) // 2 * 2, height)
    shift = np.array([[1.0, 0.0, -(width - size[0]) / 2.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), video.fps, size)
    for _, _, frame in video.frames():
        writer.write(cv2.warpPerspective(frame, shift @ homography, size, flags=cv2.INTER_LINEAR))
    writer.release()
    return size


def validate(shared_data_dir: Path) -> str:
    lines = ["Each clip as filmed by the same phone pitched by the angle given (positive: looking further down), "
             "through the lens the analysis takes; the 0° copy is the clip cut the same way.", "",
             "| clip | pitch added | pitch read | read − (added + the 0° copy's reading) | drill |",
             "| --- | --- | --- | --- | --- |"]
    return "\n".join(lines + copies_read(shared_data_dir, CLIPS, PITCHES_DEG, write_pitched, CAMERA_PITCH_SETTING,
                                          drill_reading, "pitch"))
