"""``stsp-coach batch``: a folder of real clips analysed by a pool of worker processes or by a local Ray instance,
videos done before skipped by content hash, a bad file reported without stopping the rest, a worker killed
mid-video survived."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stsp_app.batch_job import find_videos
from stsp_app.errors import InputError
from tests.conftest import BASKETBALL_CLIP, VIDEO_DIR, write_clip_start


def batch(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stsp_app", "batch", *map(str, args)], capture_output=True,
                          text=True, timeout=900)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """A club's folder: two real clips (30 frames each, one in a sub-folder), a damaged video, coach's notes."""
    folder = tmp_path_factory.mktemp("archive")
    write_clip_start(folder / "basketball.avi", 30)
    (folder / "2025").mkdir()
    write_clip_start(folder / "2025" / "squat.avi", 30, source=VIDEO_DIR / "squat_side.mp4")
    (folder / "broken.mp4").write_bytes(b"\x00 not a video at all " * 500)
    (folder / "notes.txt").write_text("jump tests on Tuesday\n")
    return folder


def summary_of(out: Path) -> dict:
    summary = json.loads((out / "batch_summary.json").read_text())
    return {Path(video["video"]).name: video for video in summary["videos"]}


def test_a_folder_is_analysed_a_bad_file_reported_and_a_second_run_skips_what_was_done(archive, tmp_path):
    out = tmp_path / "out"
    first = batch(archive, "--out", out, "--workers", "2")
    assert first.returncode == 1, first.stderr  # one video failed
    videos = summary_of(out)
    assert set(videos) == {"basketball.avi", "squat.avi", "broken.mp4"}
    assert videos["broken.mp4"]["status"] == "failed" and "not a video" in videos["broken.mp4"]["message"]
    assert f"failed: {archive / 'broken.mp4'}: not a video" in first.stdout
    for name in ("basketball.avi", "squat.avi"):
        assert videos[name]["status"] == "analysed" and videos[name]["frames"] == 30, videos[name]
        keypoints = json.loads((Path(videos[name]["folder"]) / "keypoints.json").read_text())
        assert len(keypoints["frames"]) == 30 and sum(f["kp3d"] is not None for f in keypoints["frames"]) > 20
    assert Path(videos["basketball.avi"]["folder"]).name.startswith("basketball-")

    # Moved and renamed, a video is known by its content.
    shutil.move(archive / "basketball.avi", archive / "2025" / "tuesday.avi")
    second = batch(archive, "--out", out, "--workers", "2")
    assert second.returncode == 1
    again = summary_of(out)
    assert again["tuesday.avi"]["status"] == again["squat.avi"]["status"] == "skipped"
    assert again["tuesday.avi"]["folder"] == videos["basketball.avi"]["folder"]
    assert "2 skipped (analysed before), 1 failed" in second.stdout
    shutil.move(archive / "2025" / "tuesday.avi", archive / "basketball.avi")


def test_on_a_local_ray_instance_the_results_are_the_same(archive, tmp_path):
    pooled, on_ray = tmp_path / "pool", tmp_path / "ray"
    list_file = tmp_path / "videos.txt"
    list_file.write_text(f"# Tuesday's clips\n{archive / 'basketball.avi'}\n\n{archive / 'broken.mp4'}\n")
    assert batch(list_file, "--out", pooled, "--workers", "1").returncode == 1
    result = batch(list_file, "--out", on_ray, "--ray", "local", "--workers", "2")
    assert result.returncode == 1, result.stderr
    videos = summary_of(on_ray)
    assert videos["broken.mp4"]["status"] == "failed" and videos["basketball.avi"]["status"] == "analysed"
    folder = Path(videos["basketball.avi"]["folder"])
    assert json.loads((folder / "keypoints.json").read_text()) == \
        json.loads((pooled / folder.name / "keypoints.json").read_text())


def _worker_pids(parent: int) -> list[int]:
    """The pool's worker processes under ``parent`` (spawned: their command line names spawn_main)."""
    workers = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            ppid = int(next(line.split()[1] for line in status.read_text().splitlines() if line.startswith("PPid:")))
            command = (status.parent / "cmdline").read_bytes()
        except (OSError, StopIteration, ValueError):
            continue
        if ppid == parent and b"spawn_main" in command:
            workers.append(int(status.parent.name))
    return workers


def test_a_worker_killed_mid_video_is_replaced_and_its_video_analysed_again(tmp_path):
    folder = tmp_path / "clips"
    folder.mkdir()
    shutil.copyfile(BASKETBALL_CLIP, folder / "basketball.mp4")
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "stsp_app", "batch", str(folder), "--out", str(out),
                                "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not list(out.glob("basketball-*/analysis/meta.json")):
        time.sleep(0.05)
    time.sleep(1.0)  # the worker is analysing now
    workers = _worker_pids(process.pid)
    assert workers, "no worker process found"
    for pid in workers:
        os.kill(pid, signal.SIGKILL)  # killed for memory, as the kernel would
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stdout + stderr
    video = summary_of(out)["basketball.mp4"]
    assert video["status"] == "analysed"
    assert len(json.loads((Path(video["folder"]) / "keypoints.json").read_text())["frames"]) == 300


def test_finding_the_videos(archive, tmp_path):
    assert find_videos(archive) == [archive / "2025" / "squat.avi", archive / "basketball.avi", archive / "broken.mp4"]
    assert find_videos(archive / "basketball.avi") == [archive / "basketball.avi"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no videos"):
        find_videos(empty)
    with pytest.raises(InputError, match="no such file"):
        find_videos(tmp_path / "missing")
    (tmp_path / "list.txt").write_text("# nothing yet\n\n")
    with pytest.raises(InputError, match="names no video"):
        find_videos(tmp_path / "list.txt")


def test_a_folder_of_slow_motion_clips_is_analysed_in_real_time(tmp_path, blazepose_models):
    """``batch --capture-fps``: every video of the batch was filmed at that rate; a video that plays faster than
    that is one failed outcome, not a stopped batch."""
    from stsp_app.batch_job import BatchSettings, analyse_one
    from tests.conftest import ffmpeg

    clip = tmp_path / "slow4.mp4"
    ffmpeg("-i", BASKETBALL_CLIP, "-vf", "trim=end_frame=12,setpts=4*PTS", "-fps_mode", "passthrough", "-an", "-c:v",
           "libx264", "-preset", "ultrafast", clip)
    outcome = analyse_one(str(clip), str(tmp_path / "out"), BatchSettings(capture_fps=29.97))
    assert outcome.status == "analysed", outcome.message
    keypoints = json.loads((Path(outcome.folder) / "keypoints.json").read_text())
    assert keypoints["fps"] == pytest.approx(29.97) and keypoints["settings"]["file_fps"] < 9.0
    failed = analyse_one(str(BASKETBALL_CLIP), str(tmp_path / "out"), BatchSettings(capture_fps=10.0))
    assert failed.status == "failed" and "filmed faster than it plays" in failed.message
