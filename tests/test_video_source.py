"""Video files and image folders in; each kind of bad input gives one clear InputError."""

from __future__ import annotations

import shutil

import cv2
import numpy as np
import pytest

from stsp_app.core.video_source import TruncatedVideoError, VideoSource, frame_at
from stsp_app.errors import InputError
from tests.conftest import BASKETBALL_CLIP, VIDEO_DIR, ffmpeg


def test_reads_every_frame_of_a_real_clip_with_its_metadata():
    video = VideoSource(BASKETBALL_CLIP)
    assert (video.width, video.height, video.frame_count) == (426, 240, 300)
    assert video.fps == pytest.approx(29.97, abs=0.01)
    indices = [index for index, _, _ in video]
    assert indices == list(range(300))


def test_random_access_is_frame_accurate():
    video = VideoSource(BASKETBALL_CLIP)
    sequential = {index: frame for index, _, frame in video if index in (0, 57, 200)}
    for index in (200, 0, 57):
        assert np.array_equal(video.read(index), sequential[index])


def test_image_folder_is_a_video(tmp_path):
    video = VideoSource(VIDEO_DIR / "posetrack_soccer", fps_for_images=25)
    assert video.is_image_folder and video.frame_count == 5 and video.fps == 25
    assert video.read(4).shape == (720, 1280, 3)


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        VideoSource(tmp_path / "nothing.mp4")


def test_file_that_is_not_a_video(tmp_path):
    bogus = tmp_path / "notes.mp4"
    bogus.write_text("this is not a video\n" * 100)
    with pytest.raises(InputError, match="not a video"):
        VideoSource(bogus)


def test_empty_file_and_empty_folder(tmp_path):
    empty = tmp_path / "empty.avi"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        VideoSource(empty)
    with pytest.raises(InputError, match="no images"):
        VideoSource(tmp_path)


def _write_avi(path, frames):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (frames[0].shape[1], frames[0].shape[0]))
    for frame in frames:
        writer.write(frame)
    writer.release()


def test_zero_frame_video(tmp_path):
    path = tmp_path / "zero.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (64, 48))
    writer.release()
    with pytest.raises(InputError):
        VideoSource(path)


def test_stream_without_a_frame_count_is_counted(tmp_path):
    # A raw MJPEG stream has no index: OpenCV announces no usable frame count, yet every frame decodes.
    source = VideoSource(BASKETBALL_CLIP)
    stream = tmp_path / "camera.mjpeg"
    stream.write_bytes(b"".join(cv2.imencode(".jpg", source.read(i))[1].tobytes() for i in range(30)))
    video = VideoSource(stream)
    assert video.frame_count == 30
    sequential = {index: frame for index, _, frame in video}
    assert list(sequential) == list(range(30))
    for index in (12, 3, 29):  # the stream cannot seek: reading must still land on the right frame
        assert np.array_equal(video.read(index), sequential[index])


def test_truncated_video_yields_every_frame_that_decodes_and_says_so(tmp_path):
    frames = [VideoSource(BASKETBALL_CLIP).read(i) for i in range(40)]
    full = tmp_path / "full.avi"
    _write_avi(full, frames)
    data = full.read_bytes()
    truncated = tmp_path / "truncated.avi"
    truncated.write_bytes(data[: len(data) // 2])
    video = VideoSource(truncated)
    assert video.frame_count == 40
    seen = [index for index, _, _ in video]
    assert 5 < len(seen) < 40 and seen == list(range(len(seen)))
    assert video.frames_decoded == len(seen)
    assert "stops after" in video.shortfall_message
    with pytest.raises(TruncatedVideoError):
        video.read(len(seen))


def test_truncated_mp4_without_index_is_reported_not_crashed(tmp_path):
    # This clip keeps its index (moov) at the end: cut short, it cannot be opened at all.
    truncated = tmp_path / "cut.mp4"
    shutil.copyfile(BASKETBALL_CLIP, truncated)
    truncated.write_bytes(truncated.read_bytes()[:300_000])
    with pytest.raises(InputError, match="not a video"):
        VideoSource(truncated)


def test_variable_frame_rate_video_keeps_the_decoders_times(tmp_path):
    # 30 frames at 30 frames/s, then 20 at 10 frames/s, as a phone records when the light drops.
    path = tmp_path / "vfr.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=30", "-frames:v", "50",
           "-vf", "setpts='if(lt(N,30),N/30,1+(N-30)/10)/TB'", "-fps_mode", "passthrough",
           "-c:v", "libx264", "-pix_fmt", "yuv420p", path)
    video = VideoSource(path)
    times_s = {index: time_s for index, time_s, _ in video}
    assert len(times_s) == 50
    assert times_s[15] == pytest.approx(0.5, abs=1e-3)
    assert times_s[30] == pytest.approx(1.0, abs=1e-3)   # index / average rate would say 1.68 s
    assert times_s[49] == pytest.approx(2.9, abs=1e-3)
    video.read(40)
    assert video.time_of(40) == pytest.approx(2.0, abs=1e-3)


def test_portrait_phone_video_is_turned_upright(tmp_path):
    # Phones store the picture as shot and a rotation in the metadata; the frames must come out upright.
    landscape, portrait = tmp_path / "landscape.mp4", tmp_path / "portrait.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=30", "-frames:v", "10", "-c:v", "libx264",
           "-pix_fmt", "yuv420p", landscape)
    ffmpeg("-i", landscape, "-c", "copy", "-metadata:s:v:0", "rotate=90", portrait)
    video = VideoSource(portrait)
    assert (video.width, video.height) == (120, 160)
    frames = [frame for _, _, frame in video]
    assert len(frames) == 10 and all(frame.shape == (160, 120, 3) for frame in frames)
    upright = cv2.rotate(VideoSource(landscape).read(0), cv2.ROTATE_90_COUNTERCLOCKWISE)
    assert np.abs(frames[0].astype(int) - upright).mean() < 3


def test_a_place_in_the_video_as_a_user_writes_it():
    assert frame_at("12.5", 30.0, 10_000) == 375
    assert frame_at("12.5s", 30.0, 10_000) == 375
    assert frame_at("1:02.5", 30.0, 10_000) == 1875
    assert frame_at("1:00:00", 25.0, 100_000) == 90_000
    assert frame_at("300f", 30.0, 10_000) == 300
    for bad in ("soon", "1:xx", "nan", "3.5f"):
        with pytest.raises(InputError, match="give a time"):
            frame_at(bad, 30.0, 10_000)
    with pytest.raises(InputError, match="outside the video"):
        frame_at("400", 30.0, 10_000)


def test_frames_of_a_stretch():
    video = VideoSource(BASKETBALL_CLIP)
    stretch = list(video.frames(100, 110))
    assert [index for index, _, _ in stretch] == list(range(100, 110))
    assert np.array_equal(stretch[5][2], VideoSource(BASKETBALL_CLIP).read(105))


def _slow_motion_copy(path, factor: int, frames: int = 45):
    """The basketball clip's first ``frames`` frames as a slow-motion file plays them: every frame kept, its time
    stretched ``factor`` times (as a phone stores 120 frames/s to play at 30)."""
    ffmpeg("-i", BASKETBALL_CLIP, "-vf", f"trim=end_frame={frames},setpts={factor}*PTS", "-fps_mode", "passthrough",
           "-an", "-c:v", "libx264", "-preset", "ultrafast", path)
    return path


def test_a_slow_motion_video_is_timed_as_it_was_filmed(tmp_path):
    original = VideoSource(BASKETBALL_CLIP)
    original_times = [time_s for _, time_s, _ in original.frames(0, 45)]
    clip = _slow_motion_copy(tmp_path / "slow4.mp4", 4)
    as_it_plays = VideoSource(clip)
    assert as_it_plays.capture_fps is None and as_it_plays.slow_motion_factor == 1.0
    assert as_it_plays.fps == pytest.approx(original.fps / 4, rel=0.02)
    filmed = VideoSource(clip, capture_fps=4 * as_it_plays.fps)
    assert filmed.file_fps == pytest.approx(as_it_plays.fps) and filmed.slow_motion_factor == pytest.approx(4.0)
    assert filmed.capture_fps == pytest.approx(filmed.fps) and filmed.fps == pytest.approx(original.fps, rel=0.02)
    times = [time_s for _, time_s, _ in filmed]
    assert len(times) == 45 and np.allclose(times, original_times, atol=0.002)
    assert filmed.time_of(44) == pytest.approx(original_times[44], abs=0.002)


def test_a_capture_rate_the_video_cannot_have_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="filmed faster than it plays"):
        VideoSource(BASKETBALL_CLIP, capture_fps=10.0)  # below the file's 29.97: a time-lapse, or a typo
    with pytest.raises(InputError, match="filmed faster than it plays"):
        VideoSource(BASKETBALL_CLIP, capture_fps=float("nan"))
    with pytest.raises(InputError, match="image folder"):
        VideoSource(VIDEO_DIR / "posetrack_soccer", capture_fps=120.0)
    same = VideoSource(BASKETBALL_CLIP, capture_fps=30.0)  # the nominal rate of a 29.97 file: as it plays
    assert same.capture_fps is None and same.fps == pytest.approx(29.97, abs=0.01)
