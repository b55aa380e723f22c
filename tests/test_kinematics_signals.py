"""Runs of valid frames, the zero-lag Butterworth low-pass and per-second derivatives."""

from __future__ import annotations

import numpy as np

from stsp_app.kinematics.signals import (
    butterworth_lowpass,
    consecutive_runs,
    median_of_three,
    per_second_derivative,
)

FPS = 30.0


def test_slow_motion_passes_without_lag_and_noise_is_cut():
    t = np.arange(300) / FPS
    truth = np.sin(2 * np.pi * 1.0 * t)  # 1 Hz, far below the 6 Hz cut-off
    noisy = truth + np.random.default_rng(0).normal(0, 0.05, t.shape)
    filtered = butterworth_lowpass(noisy, FPS)
    inner = slice(15, -15)
    assert abs(np.mean(filtered[inner] - truth[inner])) < 0.01  # no bias
    # white noise keeps about sqrt(6 Hz / 15 Hz) = 63 % of its spread below the cut-off
    assert np.std(filtered[inner] - truth[inner]) < 0.75 * np.std(noisy[inner] - truth[inner])
    # zero lag: the truth fits best unshifted
    shifted_errors = [np.mean((filtered[inner] - np.roll(truth, shift)[inner]) ** 2) for shift in range(-2, 3)]
    assert int(np.argmin(shifted_errors)) == 2


def test_gaps_stay_gaps_and_do_not_smear():
    series = np.concatenate([np.zeros(40), [np.nan] * 5, np.full(40, 100.0)])
    filtered = butterworth_lowpass(series, FPS)
    assert np.isnan(filtered[40:45]).all()
    np.testing.assert_allclose(filtered[:40], 0.0, atol=1e-9)
    np.testing.assert_allclose(filtered[45:], 100.0, atol=1e-6)


def test_multichannel_series_and_short_runs():
    series = np.random.default_rng(1).normal(size=(50, 17, 2))
    series[10] = np.nan
    filtered = butterworth_lowpass(series, FPS)
    assert filtered.shape == series.shape
    assert np.isnan(filtered[10]).all() and np.isfinite(filtered[11:]).all()
    short = np.array([1.0, 2.0, np.nan, 5.0])
    np.testing.assert_array_equal(butterworth_lowpass(short, FPS)[[0, 1, 3]], [1.0, 2.0, 5.0])


def test_derivative_is_per_second_within_runs():
    angle_deg = np.concatenate([np.arange(10) * 2.0, [np.nan], np.arange(5) * 3.0])
    rate = per_second_derivative(angle_deg, FPS)
    np.testing.assert_allclose(rate[:10], 60.0)
    np.testing.assert_allclose(rate[11:], 90.0)
    assert np.isnan(rate[10])
    assert [(r.start, r.stop) for r in consecutive_runs(np.isfinite(angle_deg))] == [(0, 10), (11, 16)]


def test_the_median_of_three_removes_a_lone_spike_and_keeps_ramps_steps_and_gaps():
    ramp = np.arange(10.0)
    np.testing.assert_array_equal(median_of_three(ramp), ramp)
    step = np.array([0.0, 0.0, 0.0, 5.0, 5.0, 5.0])
    np.testing.assert_array_equal(median_of_three(step), step)
    flat = np.full(8, 3.0)
    flat[4] = 100.0
    np.testing.assert_array_equal(median_of_three(flat), np.full(8, 3.0))  # a spike on a still foot: gone
    spiked = ramp.copy()
    spiked[4] = 100.0
    assert np.abs(median_of_three(spiked) - ramp).max() <= 1.0  # on a rise: gone, its frame takes a neighbour's
    gapped = np.array([1.0, 9.0, 1.0, np.nan, 2.0, 2.0, 8.0, 2.0, 2.0])
    out = median_of_three(gapped)
    assert np.isnan(out[3])  # a gap stays a gap, and its neighbours are not smeared into it
    np.testing.assert_array_equal(out[[0, 1, 2]], [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(out[4:], [2.0, 2.0, 2.0, 2.0, 2.0])
    two_columns = np.stack([flat, ramp[:8]], axis=1)
    np.testing.assert_array_equal(median_of_three(two_columns), np.stack([np.full(8, 3.0), ramp[:8]], axis=1))
