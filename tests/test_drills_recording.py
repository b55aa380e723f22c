"""A drill's recording holds one person: where the analysis followed one passer-by after another (nobody chosen),
the drill reads the one it followed longest and says so; a swing cut off where a person's track ends is no peak."""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pytest

from stsp_app.drills import MovementNotFound, recording_from_analysis, run_drill

CLIP = "pedestrians_vtest.avi"  # people walking through a hall, one after another; 10 frames/s


def _followed(analysis) -> Counter:
    return Counter(frame.person_id for frame in analysis.frames if frame.kp2d is not None)


def test_an_analysis_of_passers_by_is_read_on_the_person_followed_longest(analysed_clip):
    analysis = analysed_clip(CLIP)
    followed = _followed(analysis)
    assert len(followed) >= 3  # nobody chosen: the 2D stage took the next person each time one left
    longest, frames = followed.most_common(1)[0]
    recording = recording_from_analysis(analysis)
    assert int(np.isfinite(recording.motion.kp2d[..., :2]).all(axis=-1).any(axis=-1).sum()) == frames
    (note,) = recording.notes
    assert f"{len(followed)} people one after another" in note and f"reads person {longest}" in note
    own_frames = {frame.index for frame in analysis.frames if frame.person_id == longest and frame.kp2d is not None}
    result = run_drill("run", recording)  # walkers' steps: counted, with the note that they look like walking
    assert result.notes[0] == note
    assert {event.frame for event in result.events} <= own_frames
    for drill in ("squat", "throw", "kick", "vertical-jump"):  # across people these read a squat and a throw
        with pytest.raises(MovementNotFound):
            run_drill(drill, recording)


def test_a_swing_at_the_end_of_a_persons_track_is_not_a_throw(analysed_clip):
    """A passer-by followed for a second and a half, until they left: their wrist's speed falls to nothing on the
    frame after the track ends, which is not a swing slowing down."""
    analysis = analysed_clip(CLIP)
    first = min(_followed(analysis))
    alone = dataclasses.replace(analysis, frames=[
        frame if frame.person_id == first else dataclasses.replace(frame, person_id=None, kp2d=None,
                                                                   kp2d_raw33=None, kp3d_mm=None)
        for frame in analysis.frames])
    with pytest.raises(MovementNotFound):
        run_drill("throw", recording_from_analysis(alone))


def test_a_drill_says_when_it_read_a_levelled_picture(analysed_clip):
    """A phone turned by 3 degrees or more (settings.camera_roll_deg, read from the background), or pitched by 10
    or more (settings.camera_pitch_deg), is named in every drill's notes; a smaller turn or pitch, or none read,
    is not."""
    analysis = analysed_clip("squat_side.mp4")
    for roll_deg, said in ((-8.3, True), (3.0, True), (2.5, False), (None, False)):
        turned = dataclasses.replace(analysis, settings={**analysis.settings, "camera_roll_deg": roll_deg})
        notes = run_drill("squat", recording_from_analysis(turned)).notes
        assert any("off level" in note for note in notes) == said
        if said:
            assert f"about {abs(roll_deg):.0f}° off level" in " ".join(notes)
    # a phone pitched 10 degrees or more (settings.camera_pitch_deg), whose 3D was stood along gravity, too
    for pitch_deg, said in ((14.6, True), (-11.0, True), (6.0, False), (None, False)):
        pitched = dataclasses.replace(analysis, settings={**analysis.settings, "camera_roll_deg": 0.4,
                                                          "camera_pitch_deg": pitch_deg})
        notes = " ".join(run_drill("squat", recording_from_analysis(pitched)).notes)
        assert ("stands along gravity" in notes) == said
        if said:
            assert f"pitched about {abs(pitch_deg):.0f}° {'down' if pitch_deg > 0 else 'up'}" in notes
