"""A drill fed frame by frame reports what the same drill finds on the whole recording, soon after it ends."""

from __future__ import annotations

from stsp_app.drills import recording_from_analysis, run_drill
from stsp_app.drills.live import DEFAULT_EVERY_S, DEFAULT_SETTLE_S, LiveDrill

JUMP_CLIP = "cmj_teen_front.mp4"


def test_live_jump_matches_the_offline_jump_and_appears_soon_after_landing(analysed_clip):
    analysis = analysed_clip(JUMP_CLIP)
    offline = run_drill("vertical-jump", recording_from_analysis(analysis))
    offline_landing = next(e.frame for e in offline.events if e.kind == "landing")

    live = LiveDrill("vertical-jump", analysis.fps, (analysis.width, analysis.height))
    reported_at = None
    for frame in analysis.frames:
        if live.push(frame) and reported_at is None and any(e.kind == "landing" for e in live.state.events):
            reported_at = frame.index
    assert reported_at is not None, "the live drill never reported the jump"
    live_landing = next(e.frame for e in live.state.events if e.kind == "landing")
    live_takeoff = next(e.frame for e in live.state.events if e.kind == "takeoff")
    offline_takeoff = next(e.frame for e in offline.events if e.kind == "takeoff")
    assert abs(live_landing - offline_landing) <= 1 and abs(live_takeoff - offline_takeoff) <= 1
    # shown a moment after the landing: the settling time and one update interval, plus a frame of rounding
    assert reported_at - live_landing <= round((DEFAULT_SETTLE_S + DEFAULT_EVERY_S) * analysis.fps) + 1
    assert len(live.state.reps) == len(offline.reps) == 1
    assert "jump_height_cm" in live.state.metrics


def test_nothing_is_reported_twice_and_reset_forgets(analysed_clip):
    analysis = analysed_clip(JUMP_CLIP)
    live = LiveDrill("vertical-jump", analysis.fps, (analysis.width, analysis.height))
    for frame in analysis.frames:
        live.push(frame)
    live.finish()
    kinds = [(e.kind, e.side) for e in live.state.events]
    assert len(kinds) == len(set(kinds))
    live.reset()
    assert not live.state.events and not live.state.reps



def test_the_live_window_starts_again_when_another_person_is_followed(analysed_clip):
    """The jump clip as if the live view had switched to another person in mid-flight (the frames from then on
    carry a second id): no jump is made of one person's take-off and another's landing."""
    from dataclasses import replace

    analysis = analysed_clip(JUMP_CLIP)
    offline = run_drill("vertical-jump", recording_from_analysis(analysis))
    takeoff, landing = (next(e.frame for e in offline.events if e.kind == kind) for kind in ("takeoff", "landing"))
    switch = (takeoff + landing) // 2
    live = LiveDrill("vertical-jump", analysis.fps, (analysis.width, analysis.height))
    for frame in analysis.frames:
        live.push(replace(frame, person_id=1 if frame.index < switch else 2))
    live.finish()
    assert not live.state.reps and not live.state.events
