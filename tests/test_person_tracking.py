"""Stable person ids across frames and the default choice of the analysed person."""

from __future__ import annotations

import numpy as np

from stsp_app.epe.person_tracking import PersonTracker, box_iou


def test_ids_follow_people_and_new_people_get_new_ids():
    tracker = PersonTracker(max_missing_frames=5)
    a, b = np.array([10, 10, 60, 110.0]), np.array([200, 20, 240, 100.0])
    assert tracker.update([a, b], 0) == [1, 2]
    # both move a little, listed in the other order
    assert tracker.update([b + 3, a + 4], 1) == [2, 1]
    c = np.array([400, 40, 440, 120.0])
    assert tracker.update([a + 8, c], 2) == [1, 3]


def test_tracks_end_after_missing_too_long():
    tracker = PersonTracker(max_missing_frames=3)
    box = np.array([0, 0, 50, 100.0])
    tracker.update([box], 0)
    tracker.update([], 4)
    assert tracker.update([box], 5) == [2]


def test_most_prominent_prefers_large_and_central():
    tracker = PersonTracker()
    small_central = np.array([300, 200, 340, 280.0])
    large_edge = np.array([0, 0, 200, 400.0])
    large_central = np.array([220, 100, 420, 500.0])
    tracker.update([small_central, large_edge, large_central], 0)
    assert tracker.most_prominent(0, width=640, height=600) == 3


def test_iou():
    assert box_iou(np.array([0, 0, 10, 10.0]), np.array([5, 0, 15, 10.0])) == 50 / 150
    assert box_iou(np.array([0, 0, 1, 1.0]), np.array([2, 2, 3, 3.0])) == 0.0
