"""``eval-drills --part throw-kick``'s series: trials joined into one recording, attempts counted per trial."""

import numpy as np

from stsp_app.evaluation.throw_kick_validation import SERIES_MOVE_S, _series_report, joined_motion, series_counts


def test_trials_are_joined_along_the_floor_without_a_jump():
    rng = np.random.default_rng(0)
    first = rng.normal(0, 50, (40, 17, 3)) + [1000.0, 900.0, 2000.0]
    second = rng.normal(0, 50, (25, 17, 3)) + [-3000.0, 950.0, 500.0]
    joints, spans = joined_motion([first, second], 30.0)
    move = round(SERIES_MOVE_S * 30.0) - 2
    assert joints.shape == (40 + move + 25, 17, 3) and spans == ((0, 39), (40 + move, 40 + move + 24))
    np.testing.assert_allclose(joints[:40], first)
    start = joints[spans[1][0]]
    np.testing.assert_allclose(start[0, [0, 2]], first[-1, 0, [0, 2]])  # the pelvis starts where the last ended
    np.testing.assert_allclose(start[:, 1], second[0, :, 1])  # the height kept
    np.testing.assert_allclose(joints[spans[1][0]:] - start, second - second[0])  # the trial itself unchanged
    step = np.linalg.norm(np.diff(joints[39:spans[1][0] + 1], axis=0), axis=-1).max()
    assert step < np.linalg.norm(start - first[-1], axis=-1).max() / move * 1.01  # a straight-line move


def test_attempts_are_counted_per_trial():
    spans = ((0, 99), (190, 289))
    assert series_counts(spans, [50, 240]) == (2, 0)
    assert series_counts(spans, [50, 60, 240]) == (2, 1)  # two in the first trial: one extra
    assert series_counts(spans, [150]) == (0, 1)  # between the trials
    assert series_counts(spans, []) == (0, 0)
    rows = [{"drill": "kick", "group": "Kinder-Gator children", "noise": noise, "spans": spans,
             "reference": [50, 240], "measured": [50, 60]} for noise in ("clean", "epe")]
    report = _series_report(rows)
    assert "| kick | Kinder-Gator children, clean | 1 | 2 | 2 / 1 | 0 / 1 |" in report
