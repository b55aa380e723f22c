"""How far the phone was turned, from the background's upright lines (stsp_app.epe.camera_roll)."""

import pickle

import cv2
import numpy as np
import pytest

from stsp_app.epe.camera_motion import to_scene
from stsp_app.epe.camera_roll import (
    MAX_SAMPLES,
    BackgroundVerticals,
    levelled_maps,
    levelled_sentence,
    levelling_map,
    roll_from_segments,
    upright_segments,
)

WIDTH, HEIGHT = 640, 360


def hall_picture(turn_deg: float, seed: int = 0) -> np.ndarray:
    """A grey hall: a textured wall with door frames and posts at several places, turned by ``turn_deg`` about
    the centre (cv2's sense: positive turns the picture anticlockwise) and cut to the middle so that no corner is
    black."""
    rng = np.random.default_rng(seed)
    big = (rng.normal(150, 12, (2 * HEIGHT, 2 * WIDTH))).clip(0, 255).astype(np.uint8)
    for x in rng.uniform(0.1, 0.9, 9) * 2 * WIDTH:
        thickness = int(rng.integers(3, 9))
        cv2.rectangle(big, (int(x), int(0.2 * HEIGHT)), (int(x) + thickness, int(1.8 * HEIGHT)), 60, -1)
    turn = cv2.getRotationMatrix2D((WIDTH, HEIGHT), turn_deg, 1.0)
    turned = cv2.warpAffine(big, turn, (2 * WIDTH, 2 * HEIGHT))
    return cv2.cvtColor(turned[HEIGHT // 2:HEIGHT // 2 + HEIGHT, WIDTH // 2:WIDTH // 2 + WIDTH], cv2.COLOR_GRAY2BGR)


def upright_angles_deg(segments: np.ndarray) -> np.ndarray:
    direction = segments[:, 2:] - segments[:, :2]
    direction *= np.where(direction[:, 1:] < 0, -1.0, 1.0)
    return np.degrees(np.arctan2(direction[:, 0], direction[:, 1]))


@pytest.mark.parametrize("turn_deg", [-8.0, -3.0, 0.0, 2.0, 12.0])
def test_a_turned_picture_is_levelled_by_its_posts(turn_deg):
    """The turn read from the posts, and the levelling map built from it, brings them onto the picture's
    columns (whatever sign convention the two share)."""
    segments = upright_segments(hall_picture(turn_deg), [])
    roll_deg = roll_from_segments(segments, (WIDTH, HEIGHT))
    assert roll_deg is not None and abs(abs(roll_deg) - abs(turn_deg)) < 0.5
    levelled = to_scene(segments.reshape(-1, 2), levelling_map(roll_deg, (WIDTH, HEIGHT))).reshape(-1, 4)
    assert np.abs(upright_angles_deg(levelled)).max() < 1.0


def test_the_child_is_not_a_post():
    """Everything inside a body box (and its margin) is left out: the only upright there is no background."""
    picture = np.full((HEIGHT, WIDTH, 3), 150, np.uint8)
    cv2.rectangle(picture, (300, 40), (306, 330), (40, 40, 40), -1)
    assert len(upright_segments(picture, [])) > 0
    assert len(upright_segments(picture, [np.array([280.0, 30.0, 330.0, 340.0])])) == 0


def test_a_pitched_phone_is_not_read_as_turned():
    """Filmed from above, upright lines on both sides of the picture fan out towards a point below it (here 3
    picture heights down, the phone also turned 4 degrees): the turn is that point's direction; their mean
    angle would be the lines' place-weighted fan."""
    roll = np.radians(4.0)
    below = np.array([WIDTH / 2, HEIGHT / 2]) + 3 * HEIGHT * np.array([np.sin(roll), np.cos(roll)])
    segments = []
    for x in np.linspace(0.05, 0.95, 10) * WIDTH:
        top = np.array([x, 0.1 * HEIGHT])
        bottom = top + 0.4 * HEIGHT * (below - top) / np.linalg.norm(below - top)
        segments.append([*top, *bottom])
    segments = np.array(segments)
    assert abs(roll_from_segments(segments, (WIDTH, HEIGHT)) - 4.0) < 0.1
    assert np.ptp(upright_angles_deg(segments)) > 5  # the fan a mean of angles would read


@pytest.mark.parametrize("case", ["lanes", "one post", "nothing", "trees"])
def test_no_turn_where_the_lines_do_not_tell_it(case):
    """A track's lane lines meet on the horizon inside the picture; one post is one place; an open field has no
    lines; trunks that each lean their own way do not agree: nothing is levelled."""
    rng = np.random.default_rng(1)
    if case == "lanes":
        horizon = np.array([WIDTH * 0.6, HEIGHT * 0.2])
        feet = np.c_[np.linspace(0.3, 0.9, 8) * WIDTH, np.full(8, HEIGHT)]
        segments = np.c_[feet, horizon + 0.3 * (feet - horizon)]
        segments = segments[np.abs(upright_angles_deg(segments)) < 25]
        assert len(segments) >= 3
    elif case == "one post":
        segments = np.array([[100.0, 20.0, 101.0, 200.0], [100.0, 210.0, 101.0, 340.0], [104.0, 20.0, 105.0, 300.0]])
    elif case == "nothing":
        segments = upright_segments(rng.normal(120, 20, (HEIGHT, WIDTH, 3)).clip(0, 255).astype(np.uint8), [])
    else:
        lean = np.radians(rng.uniform(-20, 20, 12))
        base = np.c_[rng.uniform(0, WIDTH, 12), np.full(12, 0.8 * HEIGHT)]
        segments = np.c_[base, base - 0.4 * HEIGHT * np.c_[np.sin(lean), np.cos(lean)]]
    assert roll_from_segments(segments, (WIDTH, HEIGHT)) is None


def test_a_hand_held_phone_turns_are_carried_onto_the_first_picture():
    """The second second's picture is turned 5 degrees further than the first; carried onto the first picture by
    the camera's map, its posts still read the first picture's turn."""
    verticals = BackgroundVerticals(fps=10)
    first, later = hall_picture(-3.0), hall_picture(2.0)
    onto_first = cv2.getRotationMatrix2D((WIDTH / 2, HEIGHT / 2), -5.0, 1.0)  # the later picture onto the first
    for index in range(30):
        if index < 10:
            verticals.update(first, [], np.eye(2, 3))
        else:
            verticals.update(later, [], onto_first)
    reading = verticals.roll_deg()
    assert reading is not None and abs(abs(reading) - 3.0) < 0.5


def test_a_match_keeps_a_bounded_state():
    """Past MAX_SAMPLES sampled frames every other sample is dropped and the interval doubles: hours of video
    keep a state of a few tens of kilobytes, and the turn is still read."""
    verticals = BackgroundVerticals(fps=1)
    picture = hall_picture(6.0)
    for _ in range(5 * MAX_SAMPLES):
        verticals.update(picture, [])
    assert len(pickle.dumps(verticals)) < 100_000
    assert abs(abs(verticals.roll_deg()) - 6.0) < 0.5


def test_levelled_maps_turn_each_frame_after_its_camera_map():
    rng = np.random.default_rng(2)
    scene = np.stack([cv2.getRotationMatrix2D((320, 180), angle, 1.0) for angle in rng.uniform(-5, 5, 4)])
    scene[2] = np.nan  # a frame whose camera was not followed: the levelling alone
    levelling = levelling_map(4.0, (WIDTH, HEIGHT))
    maps = levelled_maps(levelling, scene, 4)
    points = rng.uniform(0, 600, (4, 5, 2))
    for row in (0, 1, 3):
        np.testing.assert_allclose(to_scene(points[row], maps[row]), to_scene(to_scene(points[row], scene[row]),
                                                                              levelling))
    np.testing.assert_allclose(to_scene(points[2], maps[2]), to_scene(points[2], levelling))
    np.testing.assert_allclose(levelled_maps(levelling, None, 2), np.stack([levelling, levelling]))


def test_a_live_camera_is_read_from_its_first_samples_only():
    """With a sample limit (the live view) the lines are looked for on that many sampled frames, then no more:
    later frames cost nothing and do not change the reading."""
    verticals = BackgroundVerticals(fps=2, sample_limit=3)
    for _ in range(6):  # sampled: frames 0, 2, 4
        verticals.update(hall_picture(5.0), [])
    assert verticals.complete
    reading = verticals.roll_deg()
    assert reading is not None and abs(abs(reading) - 5.0) < 0.5
    for _ in range(10):
        verticals.update(hall_picture(-9.0, seed=3), [])
    assert verticals.roll_deg() == reading
    assert not BackgroundVerticals(fps=2).complete


def test_the_user_is_told_of_a_notable_turn_only():
    assert levelled_sentence(None) is None and levelled_sentence(2.9) is None
    assert levelled_sentence(-8.3).startswith("The phone was held about 8° off level")
    assert "levelled" in levelled_sentence(3.0)
    assert levelled_sentence(0.5, 9.0) is None  # a phone at chest height aimed at a child
    assert levelled_sentence(0.5, 14.6).startswith("The phone was pitched about 15° down")
    assert "off level and pitched 12° up" in levelled_sentence(-4.0, -12.0)


def test_the_phone_pitch_is_read_from_where_the_uprights_meet():
    """Posts filmed by a camera pitched down (or up) through the lens the analysis takes meet below (above) the
    picture, a focal length / tan(pitch) from its centre; posts on one side of the picture only tell no pitch."""
    from stsp_app.core.lens import assumed_focal_px
    from stsp_app.epe.camera_roll import pitch_from_fit, pitch_from_vanishing, upright_fit, upright_vanishing_point

    size = (WIDTH, HEIGHT)
    focal_px = assumed_focal_px(size)
    rng = np.random.default_rng(1)

    def posts_px(pitch_deg: float, from_x_mm: float) -> np.ndarray:
        turn = np.radians(pitch_deg)
        # level camera axes -> pitched (x right, y down, z forward): looking down, a point straight ahead rises
        to_camera = np.array([[1, 0, 0], [0, np.cos(turn), -np.sin(turn)], [0, np.sin(turn), np.cos(turn)]])
        segments = []
        for x_mm in np.linspace(from_x_mm, 4000.0, 12):
            depth_mm = rng.uniform(5000.0, 9000.0)
            ends = np.array([[x_mm, -1500.0, depth_mm], [x_mm, 500.0, depth_mm]]) @ to_camera.T
            segments.append((ends[:, :2] / ends[:, 2:] * focal_px + [WIDTH / 2, HEIGHT / 2]).ravel())
        return np.array(segments)

    for pitch_deg in (-12.0, 6.0, 18.0):
        vanishing = upright_vanishing_point(posts_px(pitch_deg, -4000.0), size)
        assert abs(pitch_from_vanishing(vanishing, size) - pitch_deg) < 0.3
    one_side = upright_vanishing_point(posts_px(0.0, 1500.0), size)  # parallel: a direction, not a point
    assert one_side is not None and pitch_from_vanishing(one_side, size) is None

    # The pitch is taken only where it is firm: fitted again with each place left out, most fits stay a point and
    # their pitches agree to MAX_PITCH_ERROR_DEG.
    posts = posts_px(12.0, -4000.0)
    fit = upright_fit(posts, size)
    assert len(fit[1]) >= 10 and abs(pitch_from_fit(*fit, size) - 12.0) < 0.3

    def point_at(pitch_deg: float) -> np.ndarray:  # a vanishing point below the centre, in picture heights
        return np.array([0.0, focal_px / np.tan(np.radians(pitch_deg)) / HEIGHT, 1.0])

    direction = np.array([0.0, 1.0, 0.0])
    assert pitch_from_fit(point_at(10.0), np.array([point_at(v) for v in (9.0, 10.0, 11.0, 10.5)]), size) is not None
    assert pitch_from_fit(point_at(10.0), np.array([point_at(v) for v in (4.0, 10.0, 16.0, 10.5)]), size) is None
    assert pitch_from_fit(point_at(10.0), np.array([direction, direction, direction, point_at(10.0)]), size) is None
