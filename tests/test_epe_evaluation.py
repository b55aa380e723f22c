"""The 2D evaluation tools: degradations, PCK against a reference, still jitter, the noise profile, bench."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from stsp_app.core.video_source import VideoSource
from stsp_app.evaluation.degradations import DEGRADATIONS, degrade
from stsp_app.evaluation.epe_noise import measure_noise_profile
from stsp_app.evaluation.robustness_2d import pck_against, still_jitter
from tests.conftest import BASKETBALL_CLIP


def _pose(offset=(0.0, 0.0)):
    rng = np.random.default_rng(3)
    xy = rng.uniform(100, 200, size=(17, 2)) + offset
    return np.column_stack([xy, np.ones(17)])


def test_pck_against_reference_counts_misses_as_wrong():
    reference = [_pose(), _pose(), None, _pose()]
    box = np.max(np.ptp(reference[0][:, :2], axis=0))
    near = _pose((0.03 * box, 0.0))
    far = _pose((0.2 * box, 0.0))
    assert pck_against(reference, [near, near, None, near], [0, 1, 2, 3]) == 100.0
    assert pck_against(reference, [near, None, None, far], [0, 1, 2, 3]) == pytest.approx(100 / 3)


def test_still_jitter_measures_second_differences_in_box_units():
    rng = np.random.default_rng(0)
    base = _pose()
    box = np.max(np.ptp(base[:, :2], axis=0))
    still = [base.copy() for _ in range(50)]
    noisy = [np.column_stack([base[:, :2] + rng.normal(0, 0.001 * box, (17, 2)), base[:, 2]]) for _ in range(50)]
    assert still_jitter(still) == 0.0
    assert 1.0 < still_jitter(noisy) < 6.0  # E|d2| of 2D noise with sd 1 (per mille) is about 3.1


def test_degradations_are_real_and_reproducible():
    video = VideoSource(BASKETBALL_CLIP)
    frames = [video.read(i) for i in range(12)]
    reference = [_pose() for _ in frames]
    for kind in DEGRADATIONS:
        stream, indices = degrade(frames, kind, reference, seed=1)
        again, _ = degrade(frames, kind, reference, seed=1)
        assert all(np.array_equal(a, b) for a, b in zip(stream, again))
        assert indices == sorted(indices) and indices[0] == 0
        changed = [not np.array_equal(frames[i], f) for f, i in zip(stream, indices)]
        assert any(changed) or kind == "dropped-frames"
    dropped, kept = degrade(frames, "dropped-frames", reference, seed=1)
    assert len(dropped) < len(frames) and len(dropped) == len(kept)


def test_noise_profile_recovers_known_jitter_outliers_and_confidence():
    rng = np.random.default_rng(5)
    frames, jitter = 600, 0.004
    base = _pose()[:, :2]
    box = np.max(np.ptp(base, axis=0))
    xy = base + rng.normal(0, jitter * box, size=(frames, 17, 2))
    spikes = rng.random((frames, 17)) < 0.02
    xy[spikes] += 0.2 * box
    confidence = np.where(rng.random((frames, 17)) < 0.1, 0.2, 0.97)
    kp = np.concatenate([xy, confidence[..., None]], axis=-1)
    kp[100:110] = np.nan  # a gap: the person was not found
    profile = measure_noise_profile([kp], ["synthetic"])
    assert np.median(profile["jitter_sd"]) == pytest.approx(jitter, rel=0.3)
    assert profile["outlier_rate"] == pytest.approx(0.02, abs=0.01)
    assert np.mean(profile["low_conf_rate"]) == pytest.approx(0.1, abs=0.03)
    assert profile["swap_rate"] == 0.0


def test_bench_command_prints_every_stage(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "stsp_app", "bench", str(BASKETBALL_CLIP), "--frames", "20", "--repeats", "1",
         "--threads", "1"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for column in ("decode ms", "flow ms", "detector ms", "landmarks ms", "decoding ms", "filter ms", "frames/s"):
        assert column in result.stdout
    assert "plain detect+track" in result.stdout and "EPE stage (default)" in result.stdout
    assert "3D lifting (ONNX Runtime" in result.stdout and "ms per live frame" in result.stdout
    assert "offline GSR+TMP" in result.stdout


def test_the_mediapipe_peer_needs_its_own_environment():
    """The bench's peer runs in an environment with mediapipe==0.10.14 (bash packaging/run.sh bench); an
    interpreter without it is one clear error, not a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "stsp_app", "bench", str(BASKETBALL_CLIP), "--frames", "5", "--repeats", "1",
         "--threads", "1", "--no-3d", "--mediapipe-python", sys.executable],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0
    assert "stsp-coach: error: MediaPipe's Pose could not run with" in result.stderr
    assert "bash packaging/run.sh bench" in result.stderr and "Traceback" not in result.stderr


def test_bench_rounds_interleave_the_configurations_and_keep_each_median():
    """A slow spell of a shared machine must fall on every configuration, not on the one that ran then."""
    from types import SimpleNamespace

    from stsp_app.evaluation.epe_benchmark import median_of_rounds

    order, totals = [], {"ours": iter([12.0, 10.0, 11.0]), "peer": iter([17.0, 19.0, 18.0])}

    def timed(key):
        def run():
            order.append(key)
            return SimpleNamespace(total_ms=next(totals[key]))
        return run

    medians = median_of_rounds({"ours": timed("ours"), "peer": timed("peer")}, 3)
    assert order == ["ours", "peer"] * 3
    assert medians["ours"].total_ms == 11.0 and medians["peer"].total_ms == 18.0
