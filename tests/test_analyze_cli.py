"""``stsp-coach analyze`` end to end on real footage, and one clear error line for each kind of bad input."""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys

import cv2
import numpy as np
import pytest

from stsp_app.core.video_source import VideoSource
from tests.conftest import BASKETBALL_CLIP, VIDEO_DIR


def analyze(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stsp_app", "analyze", *map(str, args)], capture_output=True, text=True, timeout=600
    )


def assert_one_clear_error(result: subprocess.CompletedProcess, expected: str) -> None:
    assert result.returncode != 0
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("stsp-coach: error:")]
    assert len(error_lines) == 1, result.stderr
    assert expected in error_lines[0]
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def basketball_keypoints(tmp_path_factory):
    out = tmp_path_factory.mktemp("basketball")
    result = analyze(BASKETBALL_CLIP, "--out", out)
    assert result.returncode == 0, result.stderr
    return json.loads((out / "keypoints.json").read_text()), result.stdout


def test_writes_the_documented_schema_for_every_frame(basketball_keypoints):
    data, stdout = basketball_keypoints
    assert (data["width"], data["height"], data["frame_count"]) == (426, 240, 300)
    assert len(data["joint_names"]) == 17 and len(data["frames"]) == 300
    assert [f["index"] for f in data["frames"]] == list(range(300))
    assert "keypoints.json" in stdout
    found = [f for f in data["frames"] if f["kp2d"] is not None]
    assert len(found) >= 240  # the player is visible nearly throughout
    for frame in found:
        kp = np.array(frame["kp2d"])
        assert kp.shape == (17, 3) and np.array(frame["kp2d_raw33"]).shape == (33, 3)
        assert np.all((kp[:, 2] >= 0) & (kp[:, 2] <= 1))
        inside = (kp[:, 0] > -50) & (kp[:, 0] < 476) & (kp[:, 1] > -50) & (kp[:, 1] < 290)
        assert inside.mean() > 0.9


def test_3d_is_metric_pelvis_relative_and_only_where_2d_is(basketball_keypoints):
    data, stdout = basketball_keypoints
    assert "3D: yes" in stdout
    for frame in data["frames"]:
        assert (frame["kp3d"] is None) == (frame["kp2d"] is None)
    poses = np.array([f["kp3d"] for f in data["frames"] if f["kp3d"] is not None])
    assert poses.shape[1:] == (17, 3)
    np.testing.assert_allclose(poses[:, 0], 0.0, atol=1.0)  # pelvis at the origin, millimetres
    thigh = np.linalg.norm(poses[:, 2] - poses[:, 1], axis=1)  # right hip -> right knee
    assert 250 < np.median(thigh) < 600
    head_above_pelvis = poses[:, 10, 1] < poses[:, 0, 1]  # camera axes: y down
    assert head_above_pelvis.mean() > 0.9


def test_known_stature_sets_the_scale(tmp_path):
    out = tmp_path / "child"
    assert analyze(VIDEO_DIR / "posetrack_soccer", "--out", out, "--stature-cm", "120").returncode == 0
    poses = [np.array(f["kp3d"]) for f in json.loads((out / "keypoints.json").read_text())["frames"] if f["kp3d"]]
    assert poses
    height_mm = np.median([p[10, 1] - p[[3, 6], 1].mean() for p in poses])
    assert 900 < -height_mm < 1300  # head top to ankles of a 1.20 m child (camera y points down)
    bad = analyze(VIDEO_DIR / "posetrack_soccer", "--out", tmp_path, "--stature-cm", "1.2")
    assert_one_clear_error(bad, "centimetres")


def test_one_person_analysed_and_anatomy_plausible(basketball_keypoints):
    data, _ = basketball_keypoints
    found = [f for f in data["frames"] if f["kp2d"] is not None]
    assert len({f["person_id"] for f in found}) == 1
    kp = np.array([f["kp2d"] for f in found])
    head_y, ankle_y = kp[:, 10, 1], kp[:, [3, 6], 1].mean(axis=1)
    assert np.median(ankle_y - head_y) > 40  # upright player: head well above ankles (image y down)


def test_image_folder_and_model_choice(tmp_path):
    result = analyze(VIDEO_DIR / "posetrack_soccer", "--out", tmp_path, "--model", "lite")
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "keypoints.json").read_text())
    assert data["frame_count"] == 5 and data["settings"]["model"] == "lite"


def test_missing_path(tmp_path):
    assert_one_clear_error(analyze(tmp_path / "nope.mp4", "--out", tmp_path), "no such file")


def test_not_a_video(tmp_path):
    bogus = tmp_path / "clip.mp4"
    bogus.write_bytes(b"\x00\x01 definitely not a video " * 200)
    assert_one_clear_error(analyze(bogus, "--out", tmp_path), "not a video")


def test_zero_frame_video(tmp_path):
    path = tmp_path / "zero.avi"
    cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (64, 48)).release()
    result = analyze(path, "--out", tmp_path)
    assert_one_clear_error(result, str(path))


def _write_avi(path, frames, fps=30):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, frames[0].shape[1::-1])
    for frame in frames:
        writer.write(frame)
    writer.release()


def test_truncated_video_analyses_every_frame_that_decodes_and_warns(tmp_path):
    source = VideoSource(BASKETBALL_CLIP)
    full = tmp_path / "full.avi"
    _write_avi(full, [source.read(i) for i in range(60)])
    truncated = tmp_path / "truncated.avi"
    truncated.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    out = tmp_path / "out"
    result = analyze(truncated, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "stops after" in result.stderr and "truncated" in result.stderr and "Traceback" not in result.stderr
    kept = json.loads((out / "keypoints.json").read_text())
    assert 10 < len(kept["frames"]) < 60
    assert sum(f["kp2d"] is not None for f in kept["frames"]) > 5


def test_video_with_nobody(tmp_path):
    # The hall of the pedestrians clip with nobody in it: the per-pixel median over frames far apart removes
    # the walkers and leaves the real, empty scene.
    source = VideoSource(VIDEO_DIR / "pedestrians_vtest.avi")
    background = np.median(np.stack([source.read(i) for i in range(0, 795, 16)]), axis=0).astype(np.uint8)
    rng = np.random.default_rng(0)
    frames = [np.clip(background + rng.normal(0, 2, background.shape), 0, 255).astype(np.uint8) for _ in range(20)]
    path = tmp_path / "empty_hall.avi"
    _write_avi(path, frames)
    out = tmp_path / "out"
    assert_one_clear_error(analyze(path, "--out", out), "nobody was found")
    data = json.loads((out / "keypoints.json").read_text())
    assert len(data["frames"]) == 20 and all(f["kp2d"] is None for f in data["frames"])


@pytest.fixture(scope="module")
def short_clip(tmp_path_factory):
    """The first 30 frames of the youth basketball clip (two people tracked), as a quick video to analyse."""
    source = VideoSource(BASKETBALL_CLIP)
    path = tmp_path_factory.mktemp("short") / "basketball_30.avi"
    _write_avi(path, [source.read(i) for i in range(30)])
    return path


def test_an_output_place_that_cannot_be_written_fails_before_the_analysis(tmp_path, short_clip):
    in_the_way = tmp_path / "a_file"
    in_the_way.write_text("not a folder")
    result = analyze(short_clip, "--out", in_the_way / "out")
    assert_one_clear_error(result, "cannot write there")
    assert "%|" not in result.stderr  # no progress bar: it stopped before analysing a frame


def test_a_full_disk_is_one_clear_error_and_leaves_no_half_written_file(tmp_path, short_clip):
    import resource
    import signal

    def small_disk():  # files may not grow past 20 kB: writing more fails as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    out = tmp_path / "out"
    out.mkdir()
    result = subprocess.run([sys.executable, "-m", "stsp_app", "analyze", str(short_clip), "--out", str(out)],
                            capture_output=True, text=True, timeout=600, preexec_fn=small_disk)
    assert result.returncode == 1
    assert_one_clear_error(result, "File too large")
    left = [path for path in out.rglob("*") if path.is_file()]
    assert not any(".partial" in path.name for path in left), left  # no half-written file anywhere
    assert not (out / "keypoints.json").exists()
    for path in left:  # what was saved before the disk filled is whole: the analysis can continue later
        if path.suffix == ".json":
            json.loads(path.read_text())
        else:
            np.load(path).close()


def _ctrl_c_as_in_a_terminal() -> None:
    """In the child before it starts: Ctrl-C (SIGINT) acts as in a terminal even when the test suite runs as a
    background job, whose children inherit an ignored SIGINT (Python then never turns it into
    KeyboardInterrupt)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("stop_signal", ["SIGINT", "SIGTERM"])
def test_ctrl_c_or_sigterm_part_way_keeps_the_frames_analysed(tmp_path, stop_signal):
    import re
    import signal
    import threading
    import time

    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "stsp_app", "analyze", str(BASKETBALL_CLIP), "--out", str(out)],
                               stderr=subprocess.PIPE, text=True, preexec_fn=_ctrl_c_as_in_a_terminal)
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.extend(iter(lambda: process.stderr.read(1), "")), daemon=True)
    reader.start()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        progress = [int(done) for done in re.findall(r"(\d+)/300", "".join(stderr))]
        if progress and max(progress) >= 20:
            break
        time.sleep(0.1)
    process.send_signal(getattr(signal, stop_signal))
    assert process.wait(timeout=300) == 130
    reader.join(timeout=10)
    message = [line for line in "".join(stderr).splitlines() if line.startswith("stsp-coach: error:")]
    assert len(message) == 1 and "interrupted" in message[0], "".join(stderr)
    kept = json.loads((out / "keypoints.json").read_text())
    assert 20 <= len(kept["frames"]) < 300
    assert f"{len(kept['frames'])} frames kept" in message[0]
    assert [f["index"] for f in kept["frames"]] == list(range(len(kept["frames"])))
    assert any(f["kp3d"] is not None for f in kept["frames"])


def test_a_4k_video_is_analysed_like_its_original_in_bounded_memory(tmp_path):
    """20 frames of the front-view jump clip (1080x1920, portrait) scaled up to 4K (2160x3840): the girl is found
    where the original has her (in 4K pixels), and the process stays far below what holding 4K frames would
    take (a 4K frame is 25 MB)."""
    source = VideoSource(VIDEO_DIR / "cmj_teen_front.mp4")
    frames = [source.read(index) for index in range(230, 250)]
    original, big = tmp_path / "original.avi", tmp_path / "big_4k.avi"
    _write_avi(original, frames)
    _write_avi(big, [cv2.resize(frame, (2160, 3840), interpolation=cv2.INTER_CUBIC) for frame in frames])
    results = {}
    for name, path in (("original", original), ("big", big)):
        result = analyze(path, "--out", tmp_path / name)
        assert result.returncode == 0, result.stderr
        results[name] = json.loads((tmp_path / name / "keypoints.json").read_text())
    peak_child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_child_mb < 1500, f"{peak_child_mb:.0f} MB"
    assert (results["big"]["width"], results["big"]["height"]) == (2160, 3840)
    gaps, heights = [], []
    for frame, big_frame in zip(results["original"]["frames"], results["big"]["frames"]):
        assert (frame["kp2d"] is None) == (big_frame["kp2d"] is None)
        if frame["kp2d"] is not None:
            kp, big_kp = np.array(frame["kp2d"]), np.array(big_frame["kp2d"])
            seen = (kp[:, 2] >= 0.5) & (big_kp[:, 2] >= 0.5)
            gaps.append(np.linalg.norm(big_kp[seen, :2] / 2.0 - kp[seen, :2], axis=1))
            heights.append(np.ptp(kp[:, 1]))
    assert len(gaps) == 20
    assert np.median(np.concatenate(gaps)) < 0.01 * np.median(heights)  # within 1 % of her height


def test_a_video_with_many_people_analyses_one_and_names_the_others(tmp_path):
    """24 seconds of OpenCV's pedestrian clip (a hall with several walkers at once; three of them come close
    enough for the detector): one is analysed, the others are listed by id, and any of them can be chosen."""
    clip = tmp_path / "pedestrians.avi"
    source = VideoSource(VIDEO_DIR / "pedestrians_vtest.avi")
    _write_avi(clip, [source.read(index) for index in range(480, 720)], fps=10)
    result = analyze(clip, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    tracked = [int(person) for person in re.findall(r"(\d+) \(from frame \d+\)", result.stdout)]
    assert len(tracked) >= 3, result.stdout
    first = json.loads((tmp_path / "out" / "keypoints.json").read_text())
    analysed = {frame["person_id"] for frame in first["frames"]} - {None}
    other = next(person for person in tracked if person not in analysed)
    chosen = analyze(clip, "--out", tmp_path / "other", "--person", str(other))
    assert chosen.returncode == 0, chosen.stderr
    data = json.loads((tmp_path / "other" / "keypoints.json").read_text())
    followed = [frame["person_id"] for frame in data["frames"] if frame["kp2d"] is not None]
    assert len(followed) >= 5 and followed.count(other) >= 0.8 * len(followed), followed


def test_a_person_that_does_not_exist_names_the_people_tracked(tmp_path, short_clip):
    result = analyze(short_clip, "--out", tmp_path / "out", "--person", "99")
    assert_one_clear_error(result, "there is no person 99; the people tracked are 1 (from frame 0), 2 (from frame")


def test_start_and_end_analyse_only_that_stretch_with_the_videos_frame_numbers(tmp_path):
    out = tmp_path / "out"
    result = analyze(BASKETBALL_CLIP, "--out", out, "--start", "2", "--end", "100f")
    assert result.returncode == 0, result.stderr
    kept = json.loads((out / "keypoints.json").read_text())
    assert [f["index"] for f in kept["frames"]] == list(range(60, 100))
    assert kept["frames"][0]["time_s"] == pytest.approx(60 / 29.97, abs=1e-3)
    assert kept["settings"]["frames_analysed"] == [60, 100]
    assert sum(f["kp3d"] is not None for f in kept["frames"]) > 20
    assert_one_clear_error(analyze(BASKETBALL_CLIP, "--out", out, "--start", "5", "--end", "4"), "is not after")
    assert_one_clear_error(analyze(BASKETBALL_CLIP, "--out", out, "--start", "1:00"), "outside the video")


@pytest.mark.parametrize("stop_signal", ["SIGKILL", "SIGINT"])
def test_an_interrupted_analysis_continues_to_the_uninterrupted_result(tmp_path, basketball_keypoints, stop_signal):
    import signal
    import time

    reference, _ = basketball_keypoints
    out = tmp_path / "out"
    command = [sys.executable, "-m", "stsp_app", "analyze", str(BASKETBALL_CLIP), "--out", str(out),
               "--chunk-frames", "50"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               preexec_fn=_ctrl_c_as_in_a_terminal)
    deadline = time.monotonic() + 300
    while not (out / "analysis" / "frames_00000050.npz").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(getattr(signal, stop_signal))  # SIGKILL: the machine going down, nothing runs after it
    process.wait(timeout=300)
    meta = json.loads((out / "analysis" / "meta.json").read_text())
    assert meta["complete"] is False, "the analysis ended before it was stopped"

    resumed = analyze(BASKETBALL_CLIP, "--out", out, "--chunk-frames", "50")
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming the analysis at frame" in resumed.stderr
    assert json.loads((out / "keypoints.json").read_text()) == reference

    again = analyze(BASKETBALL_CLIP, "--out", out)  # a finished analysis is not done twice
    assert again.returncode == 0 and "holds this analysis complete: nothing to analyse again" in again.stderr
    assert json.loads((out / "keypoints.json").read_text()) == reference


def test_small_people_finds_everyone_in_a_wide_shot(tmp_path):
    """Four copies of the squat clip's athlete in a 2x2 grid (1216x2160): the whole picture's detector misses
    some of them; --small-people looks on its quarters too and tracks all four."""
    from tests.test_analysis_job import four_athletes_clip

    clip = four_athletes_clip(tmp_path / "four.mp4", frames=40)
    tracked = {}
    for flag in ((), ("--small-people",)):
        result = analyze(clip, "--out", tmp_path / f"out{len(flag)}", *flag)
        assert result.returncode == 0, result.stderr
        tracked[flag] = re.findall(r"(\d+) \(from frame", result.stdout.split("People tracked:")[1])
    assert len(tracked[()]) < 4
    assert len(tracked[("--small-people",)]) == 4


def test_a_phone_held_askew_is_levelled_and_said(tmp_path):
    """The first 5 s of the squat clip turned 8 degrees: keypoints.json holds the turn read (by which its 3D is
    levelled), and the summary says so."""
    from tests.conftest import ffmpeg

    clip, out = tmp_path / "turned.mp4", tmp_path / "turned"
    ffmpeg("-i", VIDEO_DIR / "squat_side.mp4", "-t", "5", "-vf",
           "rotate=8*PI/180,crop=trunc(iw*0.39)*2:trunc(ih*0.39)*2", "-c:v", "libx264", "-crf", "18", clip)
    result = analyze(clip, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "The phone was held about 8° off level" in result.stdout
    analysis = json.loads((out / "keypoints.json").read_text())
    assert abs(analysis["settings"]["camera_roll_deg"] - (-8.0)) < 1.0
    assert analysis["settings"]["camera_roll"] is True
