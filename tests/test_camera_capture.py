"""Live capture keeps only the newest frame (a video file stands in for the camera) and records every frame."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest

from stsp_app.core.camera_capture import LatestFrameCamera, shown_url, source_name
from stsp_app.core.video_source import VideoSource
from stsp_app.errors import InputError
from tests.conftest import BASKETBALL_CLIP, write_clip_start



@pytest.fixture
def short_clip(tmp_path):
    return write_clip_start(tmp_path / "drill_start.mp4", 30)


def test_slow_consumer_gets_the_newest_frames_and_the_rest_are_dropped(short_clip, tmp_path):
    recording = tmp_path / "session.mp4"
    camera = LatestFrameCamera(short_clip, 640, 480, record_path=recording).start()
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
    camera = LatestFrameCamera(short_clip, 640, 480, record_path=not_a_folder / "session.mp4").start()
    assert camera.ended.wait(5), "the reader thread died without a word"
    camera.close()
    assert camera.failure.startswith(f"cannot record to {not_a_folder / 'session.mp4'}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_network_camera_that_stops_leaves_a_playable_recording_of_everything_so_far(tmp_path):
    # A network camera as gyms mount them: ffmpeg serves the real clip as a live MPEG-TS stream over HTTP.
    url = f"http://127.0.0.1:{free_port()}/live.ts"
    server = subprocess.Popen(["ffmpeg", "-v", "error", "-re", "-i", str(BASKETBALL_CLIP), "-an", "-c:v", "mpeg2video",
                               "-q:v", "4", "-f", "mpegts", "-listen", "1", url],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:  # the server listens a moment after it starts
            try:
                camera = LatestFrameCamera(url, 640, 480, record_path=tmp_path / "session.mp4").start()
                break
            except InputError:
                assert time.monotonic() < deadline, "the stream could not be opened"
                time.sleep(0.2)
        while camera.frames_read < 60 and not camera.ended.is_set() and time.monotonic() < deadline + 30:
            time.sleep(0.05)
        assert camera.frames_read >= 60 and not camera.ended.is_set()
        server.kill()  # the camera goes off mid-recording
        assert camera.ended.wait(15), "the capture did not notice that the camera stopped"
        assert "stopped sending pictures" in camera.failure and "network camera" in camera.failure
        # Before anyone closes the capture, the recording is complete and playable.
        recorded = VideoSource(tmp_path / "session.mp4")
        frames = [index for index, _, _ in recorded]
        assert len(frames) == camera.frames_read and (recorded.width, recorded.height) == (426, 240)
        camera.close()
    finally:
        server.kill()
        server.wait()


def test_a_network_camera_that_cannot_be_reached_is_one_clear_error_without_its_password():
    url = f"rtsp://coach:secret@127.0.0.1:{free_port()}/stream"
    with pytest.raises(InputError, match="network camera rtsp://coach:\\*\\*\\*@127.0.0.1") as raised:
        LatestFrameCamera(url, 640, 480)
    assert "secret" not in str(raised.value)
    assert source_name(0) == "camera 0" and shown_url("http://10.0.0.5/mjpg") == "http://10.0.0.5/mjpg"
