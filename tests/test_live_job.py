"""The live analysis child, run in this process on a clip played as a camera: it reports every stage of a
session, and no frame read while its models loaded is lost."""

from __future__ import annotations

import multiprocessing
import queue

import numpy as np

from stsp_app.analysis_settings import AnalysisSettings
from stsp_app.core.video_source import VideoSource
from stsp_app.live_job import NO_PERSON, run_live_job
from tests.conftest import write_clip_start


def test_live_session_starts_at_the_cameras_first_frame_and_reports_its_end(blazepose_models, tmp_path):
    clip = write_clip_start(tmp_path / "gym_camera.mp4", 20)
    context = multiprocessing.get_context("spawn")
    messages, stop_event, person_choice = context.Queue(), context.Event(), context.Value("i", NO_PERSON)
    run_live_job(str(clip), 640, 480, None, AnalysisSettings(), "cpu", messages, stop_event,
                 person_choice)
    received = []
    while True:
        try:
            received.append(messages.get(timeout=5))
        except queue.Empty:
            break
    kinds = [message[0] for message in received]
    assert kinds[0] == "started" and kinds[-1] == "finished", kinds
    frames = [message for message in received if message[0] == "frame"]
    _, analysed, read = received[-1]
    assert analysed == len(frames) and read == 20 and 1 <= analysed <= 20
    # The models load before the camera starts reading, so the first frame analysed is the clip's first,
    # however long the loading took.
    first_frame = next(iter(VideoSource(clip)))[2]
    np.testing.assert_array_equal(frames[0][1], first_frame)
