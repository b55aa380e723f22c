"""Face blurring on a real frame with two people: the faces of the coach and of the young player lose their
detail, their bodies and the rest of the picture stay exactly as they were; with blurring off nothing changes.

Frame 30 of the dribble clip: the player is analysed (BlazePose face landmarks), the coach is followed by the
tracker with a body box only. The face boxes were placed by eye on the video frame (hair, face and ears), so
the test does not take the analysis's word for where the faces are.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from stsp_app.core.analysis import FrameResult, TrackedPerson
from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.core.video_source import VideoSource
from stsp_app.exports.face_blur import FaceRegion, all_face_regions, blur_faces, face_regions
from stsp_app.exports.pictures import draw_skeleton_2d, frame_picture
from tests.conftest import VIDEO_DIR

CLIP = VIDEO_DIR / "dribble_coach_and_player.mp4"
FRAME = 30
PLAYER_FACE_XYXY_PX = (806, 416, 838, 448)
COACH_FACE_XYXY_PX = (247, 348, 277, 382)
COACH_LEGS_XYXY_PX = (225, 470, 305, 590)
LEGS = ("right_hip", "right_knee", "right_ankle", "left_hip", "left_knee", "left_ankle")


def detail(image_bgr: np.ndarray, box_xyxy_px) -> float:
    """Variance of the Laplacian of the grey picture in a box: high for sharp texture, near 0 for a blur."""
    x0, y0, x1, y1 = box_xyxy_px
    grey = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY).astype(np.float64)
    return float(cv2.Laplacian(grey, cv2.CV_64F)[y0:y1, x0:x1].var())


def reach_px(region: FaceRegion) -> tuple[float, float]:
    """How far from its centre a region may change the picture: its half-size, its soft edge (within 60 % of
    its smaller half-size, 5 px at least) and 2 px for rounding."""
    edge = max(0.6 * min(region.half_size_px), 5.0)
    return region.half_size_px[0] + edge + 2, region.half_size_px[1] + edge + 2


def legs_box(kp2d: np.ndarray) -> tuple[int, int, int, int]:
    points = kp2d[[JOINT_INDEX[name] for name in LEGS], :2]
    x0, y0 = np.floor(points.min(axis=0)).astype(int) - 5
    x1, y1 = np.ceil(points.max(axis=0)).astype(int) + 5
    return x0, y0, x1, y1


@pytest.fixture(scope="module")
def frame_and_image(analysed_clip):
    analysis = analysed_clip(CLIP.name)
    frame = next(f for f in analysis.frames if f.index == FRAME)
    assert frame.kp2d_raw33 is not None, "the player should be analysed in this frame"
    others = [p for p in frame.people if p.person_id != frame.person_id]
    assert others and all(p.kp2d is None for p in others), "the coach should be tracked by a body box"
    with VideoSource(CLIP) as video:
        image = video.read(FRAME)
    return analysis, frame, image


def test_faces_lose_their_detail_bodies_stay_sharp(frame_and_image):
    _, frame, image = frame_and_image
    blurred = blur_faces(image, frame)
    for face in (PLAYER_FACE_XYXY_PX, COACH_FACE_XYXY_PX):
        before, after = detail(image, face), detail(blurred, face)
        assert before > 20 and after < before / 20, (face, before, after)
    for body in (legs_box(frame.kp2d), COACH_LEGS_XYXY_PX):
        before, after = detail(image, body), detail(blurred, body)
        assert before > 20 and after == pytest.approx(before, rel=0.03), (body, before, after)
    assert blurred.shape == image.shape and blurred.dtype == np.uint8


def test_only_the_face_regions_change(frame_and_image):
    _, frame, image = frame_and_image
    blurred = blur_faces(image, frame)
    assert len(face_regions(frame)) == 2
    regions = all_face_regions(image, frame)
    untouched = np.ones(image.shape[:2], dtype=bool)
    for region in regions:
        (cx, cy), (reach_x, reach_y) = region.centre_px, reach_px(region)
        untouched[max(0, int(cy - reach_y)):int(cy + reach_y) + 1,
                  max(0, int(cx - reach_x)):int(cx + reach_x) + 1] = False
    np.testing.assert_array_equal(blurred[untouched], image[untouched])
    assert untouched.mean() > 0.85


def test_a_person_known_by_joints_is_blurred_too(frame_and_image):
    """Another tracked person with 2D joints (no face landmarks): the player given as such a person."""
    _, frame, image = frame_and_image
    as_other = FrameResult(index=FRAME, time_s=frame.time_s,
                           people=[TrackedPerson(99, np.array([780.0, 400.0, 900.0, 650.0]), frame.kp2d)])
    blurred = blur_faces(image, as_other)
    before, after = detail(image, PLAYER_FACE_XYXY_PX), detail(blurred, PLAYER_FACE_XYXY_PX)
    assert after < before / 20, (before, after)


def test_pictures_blur_by_default_and_not_when_asked(frame_and_image, tmp_path):
    analysis, frame, image = frame_and_image
    raw = frame_picture(CLIP, FRAME, analysis, draw_skeleton=False, blur_faces=False)
    np.testing.assert_array_equal(raw, image)
    plain = frame_picture(CLIP, FRAME, analysis, blur_faces=False)
    np.testing.assert_array_equal(plain, draw_skeleton_2d(image, frame.kp2d))
    picture = frame_picture(CLIP, FRAME, analysis)
    np.testing.assert_array_equal(picture, draw_skeleton_2d(blur_faces(image, frame), frame.kp2d))
    assert detail(picture, COACH_FACE_XYXY_PX) < detail(image, COACH_FACE_XYXY_PX) / 20
    # the skeleton is drawn in the app's side colours where the joints are
    hip = np.round(frame.kp2d[JOINT_INDEX["left_knee"], :2]).astype(int)
    assert not np.array_equal(picture[hip[1], hip[0]], image[hip[1], hip[0]])


def test_a_person_the_tracker_lost_is_found_in_the_picture_and_blurred(analysed_clip):
    """The dribble clip from frame 150: the coach standing at the left, placed by eye (his head at x 260-290,
    y 348-385), drops out of the tracker's list between its detector runs; on the first such frame he is found
    by the detector on the picture and blurred."""
    analysis = analysed_clip(CLIP.name)
    frame = next(f for f in analysis.frames
                 if f.index >= 150 and all(person.person_id == f.person_id for person in f.people))
    assert frame.index <= 160, "the coach should drop out of the tracker's list soon after frame 150"
    image = VideoSource(CLIP).read(frame.index)
    coach_head = (262, 350, 288, 383)
    assert not any(_covers(region, coach_head) for region in face_regions(frame))
    before, after = detail(image, coach_head), detail(blur_faces(image, frame), coach_head)
    assert before > 20 and after < before / 20, (before, after)


def _covers(region: FaceRegion, box_xyxy_px) -> bool:
    x0, y0, x1, y1 = box_xyxy_px
    (cx, cy), (hx, hy) = region.centre_px, region.half_size_px
    return cx - hx <= x0 and x1 <= cx + hx and cy - hy <= y0 and y1 <= cy + hy
