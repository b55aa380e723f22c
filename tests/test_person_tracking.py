"""Stable person ids across frames and the default choice of the analysed person."""

from __future__ import annotations

import numpy as np

from stsp_app.epe.person_tracking import PersonTracker, roi_distance, torso_histogram


def _square(cx, cy, size=100.0):
    return np.array([cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2])


def test_ids_follow_people_and_new_people_get_new_ids():
    tracker = PersonTracker(max_missing_frames=5)
    a, b = _square(100, 100), _square(300, 100)
    assert tracker.update([a, b], [a, b], 0) == [1, 2]
    # both move a little, listed in the other order
    assert tracker.update([b + 10, a + 12], [b, a], 1) == [2, 1]
    c = _square(600, 120)
    assert tracker.update([a + 20, c], [a, c], 2) == [1, 3]


def test_the_gate_widens_while_a_person_is_missing():
    tracker = PersonTracker(max_missing_frames=100)
    a = _square(100, 100)
    tracker.update([a], [a], 0)
    moved = a + np.array([90, 0, 90, 0])  # 0.9 ROI sizes away
    assert tracker.update([moved], [moved], 1) == [2]  # too far for one frame: someone else
    tracker = PersonTracker(max_missing_frames=100)
    tracker.update([a], [a], 0)
    assert tracker.update([moved], [moved], 10) == [1]  # after 10 missing frames it may be the same person


def test_tracks_end_after_missing_too_long():
    tracker = PersonTracker(max_missing_frames=3)
    box = _square(50, 50)
    tracker.update([box], [box], 0)
    tracker.update([], [], 4)
    assert tracker.update([box], [box], 5) == [2]


def test_clothing_colour_breaks_ties():
    image = np.zeros((200, 400, 3), np.uint8)
    image[:, :200] = (255, 0, 0)   # left half blue
    image[:, 200:] = (0, 0, 255)   # right half red
    blue = torso_histogram(image, np.array([20, 20, 180, 180.0]))
    red = torso_histogram(image, np.array([220, 20, 380, 180.0]))
    tracker = PersonTracker()
    left, right = _square(180, 100), _square(220, 100)
    tracker.update([left, right], [left, right], 0, [blue, red])
    # next frame both stand in the middle, equally far from either track: colour decides
    middle = _square(200, 100)
    assert tracker.update([middle, middle], [middle, middle], 1, [red, blue]) == [2, 1]


def test_most_prominent_prefers_large_and_central():
    tracker = PersonTracker()
    small_central = np.array([300, 200, 340, 280.0])
    large_edge = np.array([0, 0, 200, 400.0])
    large_central = np.array([220, 100, 420, 500.0])
    boxes = [small_central, large_edge, large_central]
    tracker.update([_square(320, 240, 40), _square(100, 200), _square(320, 300)], boxes, 0)
    assert tracker.most_prominent(0, width=640, height=600) == 3


def test_roi_distance():
    assert roi_distance(_square(0, 0), _square(50, 0)) == 0.5


def test_a_person_is_found_by_place_in_a_frame():
    """How a person chosen from another run's result is found: by where they were, not by their id."""
    tracker = PersonTracker()
    a, b = _square(100, 100), _square(300, 100)
    tracker.update([a, b], [a, b], 0)
    assert tracker.person_at(b + 10, 0, min_overlap=0.3) == 2
    assert tracker.person_at(_square(700, 100), 0, min_overlap=0.3) is None  # nobody there
    assert tracker.person_at(b, 1, min_overlap=0.3) is None  # nobody seen in frame 1
