"""The EPE stage's choice of where to look for the person (stsp_app/epe/stage.py), on real footage."""

from __future__ import annotations

import cv2
import numpy as np

from stsp_app.core.video_source import VideoSource
from stsp_app.epe.config import EPEConfig
from stsp_app.epe.stage import LIMB_JOINTS, MIN_LIMB_VISIBILITY, EPEStage
from tests.conftest import VIDEO_DIR


def test_a_person_too_small_for_the_whole_pictures_detector_is_found_on_its_quarters(blazepose_models):
    """sprint_start_a1.mp4 mirrored: the sprinter in the set position, about a quarter of the 1280x720 picture's
    height. Squeezed whole into the detector's 224x224 input, they score under its 0.5 on these frames, so
    nobody would be analysed (the whole clip read "nobody was found in any frame"); with nobody followed the
    stage also looks on the picture's quarters and follows the sprinter from the first frame."""
    video = VideoSource(VIDEO_DIR / "sprint_start_a1.mp4")
    frames = [cv2.flip(video.read(index), 1) for index in range(8)]
    stage = EPEStage(EPEConfig(), fps=video.fps)
    assert not stage.detector.detect(cv2.cvtColor(frames[0], cv2.COLOR_BGR2RGB))  # what the fallback is for

    results = [stage.process(frame, index) for index, frame in enumerate(frames)]

    assert all(result.kp2d is not None for result in results)
    pelvis_px = np.array([result.kp2d[0, :2] for result in results])
    # The sprinter crouches at the blocks, at the picture's left in the mirrored clip (x 105-292, y 456-643 px).
    assert ((pelvis_px[:, 0] > 100) & (pelvis_px[:, 0] < 300)).all()
    assert ((pelvis_px[:, 1] > 450) & (pelvis_px[:, 1] < 650)).all()


def test_the_quarters_are_not_searched_while_the_whole_picture_shows_someone(blazepose_models, monkeypatch):
    """The quarters cost four more detector runs and can add a false person: with someone found on the whole
    picture the stage does not search them (unless asked to, ``detection_tiles``)."""
    video = VideoSource(VIDEO_DIR / "squat_side.mp4")
    stage = EPEStage(EPEConfig(), fps=video.fps)
    tiled = []
    original = stage.detector.detect_with_tiles
    monkeypatch.setattr(stage.detector, "detect_with_tiles",
                        lambda image, whole_image=None: tiled.append(1) or original(image, whole_image))
    for index in range(3):
        assert stage.process(video.read(index), index).kp2d is not None
    assert tiled == []


def test_a_person_seen_without_limbs_is_passed_over_for_the_child_in_view(blazepose_models):
    """sprint_start_a1.mp4 out of focus (a Gaussian blur of 3 px): the network makes a "person" of the lamp post
    and the trees behind the track, face, shoulders and hips at full visibility but no elbow, wrist, knee or
    ankle seen, and the plain detect-then-follow loop followed it. Such a pose is no person: the stage passes it
    over, searches the picture's quarters and follows the sprinter in the blocks (bottom right)."""
    video = VideoSource(VIDEO_DIR / "sprint_start_a1.mp4")
    stage = EPEStage(EPEConfig(), fps=video.fps)
    results = [stage.process(cv2.GaussianBlur(video.read(index), (0, 0), 3), index) for index in range(60, 100)]

    followed = [result for result in results if result.kp2d is not None]
    assert len(followed) >= 30
    assert all(result.kp2d_raw33[LIMB_JOINTS, 2].max() >= MIN_LIMB_VISIBILITY for result in followed)
    pelvis_px = np.array([result.kp2d[0, :2] for result in followed])
    assert ((pelvis_px[:, 0] > 1000) & (pelvis_px[:, 1] > 450)).all()  # the sprinter, not the trees (y < 300)
