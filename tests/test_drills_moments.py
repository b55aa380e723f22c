"""A drill result's moments for a timeline: events and reps' deepest points in time order, in one wording."""

from stsp_app.commands.drill import format_result
from stsp_app.drills.moments import moments_of, rep_event_kind

RESULT = {
    "fps": 25.0,
    "events": [{"kind": "landing", "frame": 48, "time_s": 1.92}, {"kind": "foot_strike", "frame": 10,
                                                                   "time_s": 0.4, "side": "left"}],
    "reps": [{"deepest_frame": 30}, {"deepest_frame": 70}],
}


def test_events_and_deepest_points_in_time_order_with_their_words():
    moments = moments_of(RESULT)
    assert [(m.frame, m.label) for m in moments] == [
        (10, "left foot strike"), (30, "deepest point, rep 1"), (48, "landing"), (70, "deepest point, rep 2")]
    assert moments[1].time_s == 30 / 25.0 and moments[0].title == "Left foot strike"


def test_a_rep_without_a_time_on_the_timeline_is_left_out():
    moments = moments_of(RESULT, lambda frame: None if frame == 70 else frame / 50.0)
    assert 70 not in [m.frame for m in moments] and 30 in [m.frame for m in moments]
    assert [m.time_s for m in moments if m.kind == "deepest"] == [0.6]
    single = moments_of({"fps": 30.0, "events": [], "reps": [{"deepest_frame": 15}]})
    assert [m.label for m in single] == ["deepest point"]


def test_a_reps_own_time_places_it_without_the_analysis():
    """A result read without its analysis (a session whose analysis file is gone): the rep's own deepest_time_s,
    the frame's timestamp (a phone's variable frame rate), not frame / fps."""
    result = {"fps": 30.0, "events": [], "reps": [{"deepest_frame": 60, "deepest_time_s": 2.113}]}
    assert [m.time_s for m in moments_of(result)] == [2.113]
    assert [m.time_s for m in moments_of(result, lambda frame: frame / 25.0)] == [60 / 25.0]  # the timeline wins


def test_a_throws_rep_marked_by_its_release_adds_no_deepest_point():
    """A series of throws: each rep's "deepest" frame is its release, which its event already marks."""
    result = {"fps": 30.0, "events": [{"kind": "release", "frame": 87, "time_s": 2.9, "side": "right"},
                                      {"kind": "release", "frame": 215, "time_s": 7.17, "side": "left"}],
              "reps": [{"deepest_frame": 87}, {"deepest_frame": 215}]}
    assert [m.label for m in moments_of(result)] == ["right release", "left release"]


def test_a_rep_whose_frame_an_event_marks_is_named_by_the_event_everywhere():
    """A throw's rep: its frame is the release. The timeline adds no "deepest point" there and the drill command
    names the rep by the release; a rep without an event at its frame keeps "deepest point"."""
    result = {"drill": "throw", "fps": 30.0, "frames": 90, "metrics": {}, "notes": [],
              "events": [{"kind": "release", "frame": 40, "time_s": 1.333, "side": "right"}],
              "reps": [{"start_frame": 30, "deepest_frame": 40, "end_frame": 50, "metrics": {}},
                       {"start_frame": 60, "deepest_frame": 70, "end_frame": 80, "metrics": {}}]}
    assert [rep_event_kind(result, rep) for rep in result["reps"]] == ["release", None]
    assert [m.label for m in moments_of(result)] == ["right release", "deepest point, rep 2"]
    lines = format_result(result).splitlines()
    assert "  rep 1: frames 30-50, release 40" in lines and "  rep 2: frames 60-80, deepest point 70" in lines
