"""Signal helpers every angle, velocity and event is computed with: runs of valid frames, the zero-lag
Butterworth low-pass, the 3-frame median against lone spikes, derivatives per second.

Series are (T, ...) arrays with NaN where the pose is missing. Filters and derivatives work on each run of
consecutive finite frames separately, so a gap never smears into the frames around it.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy import signal

DEFAULT_CUTOFF_HZ = 6.0  # as Sports2D and Pose2Sim default to for human movement filmed at 30-60 fps
DEFAULT_ORDER = 4


def consecutive_runs(valid: np.ndarray) -> list[slice]:
    """Slices of the runs of True in a boolean (T,) array."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], np.asarray(valid).astype(int), [0]])))
    return [slice(start, stop) for start, stop in zip(edges[::2], edges[1::2])]


def _finite_rows(series: np.ndarray) -> np.ndarray:
    return np.isfinite(series.reshape(len(series), -1)).all(axis=1)


def butterworth_lowpass(series: np.ndarray, fps: float, cutoff_hz: float = DEFAULT_CUTOFF_HZ,
                        order: int = DEFAULT_ORDER) -> np.ndarray:
    """Zero-lag low-pass (Butterworth of ``order``, run forwards then backwards: no delay, twice the order's
    roll-off) of ``series`` (T, ...) sampled at ``fps``.

    Each run of finite frames is filtered alone; runs too short for the filter's padding are filtered with
    less padding, and runs of fewer than 3 frames are returned as they are. A cut-off at or above the Nyquist
    frequency returns the series unchanged.
    """
    series = np.asarray(series, dtype=np.float64)
    out = series.copy()
    if cutoff_hz <= 0:
        raise ValueError(f"cut-off frequency must be positive, got {cutoff_hz}")
    nyquist_hz = fps / 2.0
    if cutoff_hz >= nyquist_hz or len(series) < 3:
        return out
    sos = _lowpass_sos(order, cutoff_hz / nyquist_hz)
    default_pad = 3 * (2 * len(sos) + 1)
    for run in consecutive_runs(_finite_rows(series)):
        length = run.stop - run.start
        if length < 3:
            continue
        out[run] = signal.sosfiltfilt(sos, series[run], axis=0, padlen=min(default_pad, length - 1))
    return out


@functools.lru_cache(maxsize=64)
def _lowpass_sos(order: int, cutoff_share_of_nyquist: float) -> np.ndarray:
    """The filter's design (second-order sections), made once per order and cut-off: the live drill filters its
    window four times a second."""
    return signal.butter(order, cutoff_share_of_nyquist, btype="low", output="sos")


def median_of_three(series: np.ndarray) -> np.ndarray:
    """Each frame of ``series`` (T, ...) replaced by the median of itself and its two neighbours, within runs of
    finite frames (a run's first and last frames are kept). A one-frame spike (a landmark thrown off for a
    frame) is removed (on a still stretch exactly; on a rise its frame takes a neighbour's value), while a
    clean rising or falling run and a step keep every frame: event timings stay."""
    series = np.asarray(series, dtype=np.float64)
    out = series.copy()
    for run in consecutive_runs(_finite_rows(series)):
        if run.stop - run.start >= 3:
            part = series[run]
            out[run.start + 1:run.stop - 1] = np.median(np.stack([part[:-2], part[1:-1], part[2:]]), axis=0)
    return out


def per_second_derivative(series: np.ndarray, fps: float) -> np.ndarray:
    """d(series)/dt in units per second by central differences, within runs of finite frames (NaN elsewhere
    and in runs of a single frame)."""
    series = np.asarray(series, dtype=np.float64)
    out = np.full_like(series, np.nan)
    for run in consecutive_runs(_finite_rows(series)):
        if run.stop - run.start >= 2:
            out[run] = np.gradient(series[run], axis=0) * fps
    return out
