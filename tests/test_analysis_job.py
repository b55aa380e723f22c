"""The app's analysis child process: the app's settings reach the pipeline (small people in a wide shot)."""

import cv2
import numpy as np

from stsp_app.analysis_job import start_analysis_job
from stsp_app.analysis_settings import AnalysisSettings
from stsp_app.core.video_source import VideoSource
from tests.conftest import VIDEO_DIR


def four_athletes_clip(path, frames: int = 20):
    """The squat clip's athlete four times in a 2x2 grid (1216x2160): too small for the whole picture's
    detector."""
    source = VideoSource(VIDEO_DIR / "squat_side.mp4")
    first = source.read(0)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 30.0,
                             (2 * first.shape[1], 2 * first.shape[0]))
    for index in range(frames):
        frame = source.read(index)
        writer.write(np.vstack([np.hstack([frame, frame]), np.hstack([frame, frame])]))
    writer.release()
    return path


def analysed_in_the_child(video, settings: AnalysisSettings):
    process, messages, _ = start_analysis_job(video, settings, "cpu", None, None)
    try:
        while True:
            message = messages.get(timeout=300)
            if message[0] in ("done", "failed"):
                break
    finally:
        process.join(timeout=60)
    assert message[0] == "done", message
    return message[1]


def test_the_small_people_setting_tracks_everyone_in_a_wide_shot(tmp_path, blazepose_models):
    clip = four_athletes_clip(tmp_path / "four.mp4")
    without = analysed_in_the_child(clip, AnalysisSettings(small_people=False))
    with_tiles = analysed_in_the_child(clip, AnalysisSettings(small_people=True))
    people = lambda analysis: {person.person_id for frame in analysis.frames for person in frame.people}  # noqa: E731
    assert len(people(without)) < 4
    assert len(people(with_tiles)) == 4
    assert with_tiles.settings["detection_tiles"] and not without.settings["detection_tiles"]
