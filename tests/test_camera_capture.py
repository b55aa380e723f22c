"""Live capture keeps only the newest frame (a video file stands in for the camera) and records every frame."""

from __future__ import annotations

import time

import cv2
import pytest

from stsp_app.core.camera_capture import LatestFrameCamera
from stsp_app.core.paths import shared_data_dir
from stsp_app.core.video_source import VideoSource
from stsp_app.errors import InputError

CLIP = shared_data_dir() / "video" / "basketball_youth_drill.mp4"


@pytest.fixture
def short_clip(tmp_path):
    video = VideoSource(CLIP)
    path = tmp_path / "drill_start.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), video.fps, (video.width, video.height))
    for index in range(30):
        writer.write(video.read(index))
    writer.release()
    return path


def test_slow_consumer_gets_the_newest_frames_and_the_rest_are_dropped(short_clip, tmp_path):
    recording = tmp_path / "session.mp4"
    camera = LatestFrameCamera(short_clip, 640, 480, record_path=recording)
    taken, lags_s = [], []
    last = -1
    deadline = time.monotonic() + 10
    while not (camera.ended.is_set() and camera.latest(last) is None) and time.monotonic() < deadline:
        captured = camera.latest(newer_than=last)
        if captured is None:
            time.sleep(0.002)
            continue
        lags_s.append(time.monotonic() - captured.capture_time_s)
        last = captured.sequence
        taken.append(captured.sequence)
        time.sleep(0.1)  # a slow analysis: three camera frames arrive meanwhile
    camera.close()
    assert camera.ended.is_set() and camera.frames_read == 30
    assert taken == sorted(set(taken)) and 5 <= len(taken) <= 15, taken
    assert max(b - a for a, b in zip(taken, taken[1:])) >= 2  # frames were skipped, not queued
    # what the consumer gets is the newest frame, not a backlog (three frames queued would be 0.1 s behind
    # and growing); loose for busy machines
    assert max(lags_s) < 0.3
    recorded = VideoSource(recording)
    assert recorded.frame_count == 30 and (recorded.width, recorded.height) == (426, 240)


def test_unreadable_source_is_one_clear_error(tmp_path):
    bad = tmp_path / "not_a_video.mp4"
    bad.write_text("hello")
    with pytest.raises(InputError, match="not a video"):
        LatestFrameCamera(bad, 640, 480)



def test_a_recording_that_cannot_be_written_ends_the_capture_with_the_reason(short_clip, tmp_path):
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file where the recording's folder should be")
    camera = LatestFrameCamera(short_clip, 640, 480, record_path=not_a_folder / "session.mp4")
    assert camera.ended.wait(5), "the reader thread died without a word"
    camera.close()
    assert camera.failure.startswith(f"cannot record to {not_a_folder / 'session.mp4'}")
