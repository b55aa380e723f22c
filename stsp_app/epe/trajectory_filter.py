"""Causal per-joint temporal filters for 2D keypoints: the local trajectory constraint (paper Eq. 8), a
One-Euro filter for comparison, and none.

Local trajectory constraint as a filter. Eq. 8 penalises the second difference |p_t - 2 p_{t-1} + p_{t-2}|^2.
Each frame we take the p_t that minimises

    c_t |p_t - z_t|^2 + alpha_t |p_t - (2 p_{t-1} - p_{t-2})|^2

(z_t the measurement, c_t its confidence), i.e. p_t = (c_t z_t + alpha_t q_t) / (c_t + alpha_t) with the
constant-velocity prediction q_t = 2 p_{t-1} - p_{t-2}. For motion at constant velocity the prediction is exact,
so the filter has no lag there (unlike a low-pass); it only damps changes of velocity - the acceleration jitter.
The recursion is stable for any alpha >= 0 (its poles have modulus sqrt(alpha / (c + alpha)) < 1).

Motion awareness (Eq. 4): alpha_t = alpha_still * W_still / W_t at the joint, so a joint on a fast-moving
region (large W) is smoothed less and a still joint more. Large innovations (|z_t - q_t| beyond
``reset_fraction`` of the person's size) reset the joint to the measurement instead of dragging it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

FILTER_NAMES = ("ltc", "one-euro", "butterworth", "none")
# Filters that need the whole clip (zero lag): the per-frame stage runs unfiltered and the pipeline filters the
# clip's 2D at the end (stsp_app.pipeline; stsp_app.kinematics.signals.butterworth_lowpass). Not for live use.
OFFLINE_FILTERS = ("butterworth",)
# What a video file's 2D gets and what a live camera's gets (docs/RESULTS.md, "Temporal filters against ground
# truth" and "Drill metrics"): the zero-lag Butterworth has the lowest error and acceleration error of all, and
# keeps a foot's stop on the ground a stop (the constant-velocity prediction of Eq. 8 overshoots it for a few
# frames: foot events 9 of 14 within a frame with it, 12 of 14 without); live, only a causal filter can run.
FILE_FILTER = "butterworth"
LIVE_FILTER = "ltc"


@dataclass
class LocalTrajectoryFilter:
    """Eq. 8 as a causal filter over (J, 2) keypoints; see the module docstring."""

    alpha_still: float = 1.0
    reset_fraction: float = 0.25
    _previous: np.ndarray | None = field(default=None, init=False, repr=False)
    _before_previous: np.ndarray | None = field(default=None, init=False, repr=False)

    def reset(self) -> None:
        self._previous = self._before_previous = None

    def __call__(
        self,
        points: np.ndarray,
        confidence: np.ndarray,
        motion_ratio: np.ndarray | None = None,
        person_size_px: float | None = None,
    ) -> np.ndarray:
        """Filter one frame. motion_ratio: (J,) W_t / W_still at each joint (1 = still), or None."""
        points = np.asarray(points, dtype=np.float64)
        if self._previous is None or self._before_previous is None:
            # The first two frames of a track pass through: they give the velocity to predict from.
            self._before_previous, self._previous = self._previous, points.copy()
            return points.copy()
        prediction = 2.0 * self._previous - self._before_previous
        alpha = np.full(len(points), self.alpha_still)
        if motion_ratio is not None:
            alpha = alpha / np.maximum(motion_ratio, 1e-6)
        data_weight = np.clip(np.asarray(confidence, dtype=np.float64), 0.05, 1.0)
        blend = (alpha / (alpha + data_weight))[:, None]
        filtered = points + blend * (prediction - points)
        before_previous = self._previous.copy()
        if person_size_px:
            # A jump far beyond any plausible motion (a re-detection, a swap) restarts that joint at rest.
            jumped = np.linalg.norm(points - prediction, axis=1) > self.reset_fraction * person_size_px
            filtered[jumped] = points[jumped]
            before_previous[jumped] = points[jumped]
        self._before_previous, self._previous = before_previous, filtered
        return filtered.copy()


@dataclass
class OneEuroFilter:
    """The One-Euro filter (Casiez, Roussel & Vogel, CHI 2012): a low-pass whose cut-off rises with speed."""

    frequency_hz: float = 30.0
    min_cutoff_hz: float = 1.0
    beta: float = 0.05
    derivative_cutoff_hz: float = 1.0
    _previous: np.ndarray | None = field(default=None, init=False, repr=False)
    _previous_derivative: np.ndarray | None = field(default=None, init=False, repr=False)

    def reset(self) -> None:
        self._previous = self._previous_derivative = None

    def _smoothing(self, cutoff_hz: np.ndarray | float) -> np.ndarray | float:
        tau = 1.0 / (2.0 * np.pi * cutoff_hz)
        return 1.0 / (1.0 + tau * self.frequency_hz)

    def __call__(self, points: np.ndarray, confidence=None, motion_ratio=None, person_size_px=None) -> np.ndarray:
        points = np.asarray(points, dtype=np.float64)
        if self._previous is None:
            self._previous = points.copy()
            self._previous_derivative = np.zeros_like(points)
            return points.copy()
        derivative = (points - self._previous) * self.frequency_hz
        a_d = self._smoothing(self.derivative_cutoff_hz)
        derivative = a_d * derivative + (1 - a_d) * self._previous_derivative
        speed = np.linalg.norm(derivative, axis=-1, keepdims=True)
        # beta is in 1/px: the cut-off grows by beta Hz per px/s of joint speed.
        a = self._smoothing(self.min_cutoff_hz + self.beta * speed)
        filtered = a * points + (1 - a) * self._previous
        self._previous, self._previous_derivative = filtered, derivative
        return filtered.copy()


@dataclass
class NoFilter:
    def reset(self) -> None:
        pass

    def __call__(self, points: np.ndarray, confidence=None, motion_ratio=None, person_size_px=None) -> np.ndarray:
        return np.array(points, dtype=np.float64)


def make_filter(name: str, fps: float, strength: float = 1.0) -> LocalTrajectoryFilter | OneEuroFilter | NoFilter:
    """A fresh per-frame filter by name ("ltc", "one-euro", "none"; an offline filter gets none here, see
    OFFLINE_FILTERS); strength scales the smoothing (1 = default)."""
    if name == "ltc":
        return LocalTrajectoryFilter(alpha_still=1.0 * strength)
    if name == "one-euro":
        return OneEuroFilter(frequency_hz=fps, min_cutoff_hz=1.0 / max(strength, 1e-3))
    if name == "none" or name in OFFLINE_FILTERS:
        return NoFilter()
    raise ValueError(f"unknown filter {name!r}; choose one of {', '.join(FILTER_NAMES)}")
