"""What the report says (stsp_app.report.content and notes), without a PDF: records built in the test from
synthetic jumps and a child standing still, their drill results from the real drills."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest

from stsp_app.errors import InputError
from stsp_app.records import RecordStore
from stsp_app.report.content import build_report, read_against, select_sessions
from stsp_app.report.formatting import quantity_text, value_text
from stsp_app.report.key_frames import chosen_moments
from stsp_app.report.references import REFERENCE_BANDS, fitting_band
from tests.records_data import standing_analysis
from tests.report_records import add_drill_session, jump_analysis

OCTOBER = datetime(2025, 10, 6, 17, 30).astimezone()
NOVEMBER = datetime(2025, 11, 10, 17, 30).astimezone()


@pytest.fixture
def store(tmp_path):
    with RecordStore(tmp_path / "records.sqlite3") as store:
        yield store


def test_metrics_carry_their_uncertainty_unit_and_side(store):
    child = store.add_child("Mia", birth_year=2014, sex="F", height_cm=150)
    add_drill_session(store, child.id, "vertical-jump", jump_analysis(1.5, 0.45), OCTOBER)
    add_drill_session(store, child.id, "drop-jump", jump_analysis(1.5, 0.5, knee_valgus_px=15.0), NOVEMBER)

    report = build_report(store, child.id)
    jump, landing = report.sessions
    height = next(row for row in jump.metrics if row.name == "jump_height_cm")
    assert (height.unit, height.label) == ("cm", "Jump height (flight time)")
    assert height.value == pytest.approx(25.06, abs=0.01) and height.uncertainty == pytest.approx(3.70, abs=0.01)
    assert quantity_text(height.value, height.uncertainty, height.unit) == "25.1 cm (± 3.7 cm)"
    assert "Jump height (flight time): 25.1 cm (± 3.7 cm), worked out from the time in the air" in " ".join(jump.notes)
    fppa = {row.side: row for row in landing.metrics if row.name.endswith("_knee_fppa_at_peak_flexion_deg")}
    assert set(fppa) == {"left", "right"} and all(row.uncertainty == 5.0 and row.unit == "deg" for row in fppa.values())
    # filmed from the front: the four LESS items of that camera, the count of errors not counted as an item
    assert "Landing Error Scoring System (LESS): 2 of the 4 items scored from this video show an error" in " ".join(
        landing.notes)
    # what this view cannot measure, each reason said once
    (unmeasured,) = [note for note in landing.notes if note.startswith("Not measured in this video")]
    assert unmeasured.count("needs a side view") == 1 and "LESS: hip not flexed at initial contact" in unmeasured
    assert [moment.title for moment in jump.moments] == ["Deepest point", "Take-off", "Landing"]
    assert jump.drill_notes and jump.drill_title == "Vertical jump (countermovement jump)"


def test_a_band_is_shown_only_for_the_population_it_describes_and_always_with_its_source(store):
    young = store.add_child("Mia", birth_year=2014, sex="F")
    adult = store.add_child("Jo", birth_year=2005, sex="F")
    unknown = store.add_child("Sam", birth_year=2005)
    for child in (young, adult, unknown):
        add_drill_session(store, child.id, "drop-jump", jump_analysis(1.5, 0.5, knee_valgus_px=15.0), NOVEMBER)

    fppa_rows = lambda child: [row for row in build_report(store, child.id).sessions[0].metrics
                               if row.name.endswith("_knee_fppa_at_peak_flexion_deg")]
    for row in fppa_rows(adult):
        assert row.band is not None and row.band.position == "within" and 7.0 <= row.value <= 13.0
        assert (row.band.band.low, row.band.band.high, row.band.band.sex) == (7.0, 13.0, "F")
        assert row.band.band.source.short == "Herrington & Munro 2010"
    assert all(row.band is None for row in fppa_rows(young) + fppa_rows(unknown))
    assert all(row.band is None for session in build_report(store, adult.id).sessions
               for row in session.metrics if "fppa" not in row.name)

    notes = " ".join(build_report(store, adult.id).sessions[0].notes)
    assert ("lies within the range 7-13° that Herrington & Munro 2010 give for physically active women aged 18-28"
            in notes)
    young_notes = " ".join(build_report(store, young.id).sessions[0].notes)
    assert "not for Mia's age, so it is not used here" in young_notes
    assert "best compared with Mia's own sessions" in young_notes
    assert "Sam's sex is not recorded" in " ".join(build_report(store, unknown.id).sessions[0].notes)


def test_every_band_has_a_source_a_population_and_fits_by_whole_years():
    for band in REFERENCE_BANDS:
        assert band.source.short and "doi:" in band.source.citation and band.low < band.high
        assert band.population and band.who and band.task and band.meaning
    # Born 2007: 17 or 18 in 2025, not wholly within 18-28; born 2006: 18 or 19.
    assert fitting_band("drop-jump", "left_knee_fppa_at_peak_flexion_deg", "F", 2007, date(2025, 6, 1)) is None
    assert fitting_band("drop-jump", "left_knee_fppa_at_peak_flexion_deg", "F", 2006, date(2025, 6, 1)) is not None
    assert fitting_band("drop-jump", "left_knee_fppa_at_peak_flexion_deg", "M", 2006, date(2025, 6, 1)).high == 8.0
    assert fitting_band("vertical-jump", "jump_height_cm", "F", 2006, date(2025, 6, 1)) is None


def test_where_a_value_lies_against_a_band_with_its_uncertainty():
    band = REFERENCE_BANDS[0]  # 7-13°
    assert (read_against(band, 10.0, 5.0).position, read_against(band, 10.0, 5.0).reaches_band) == ("within", False)
    assert (read_against(band, 15.0, 5.0).position, read_against(band, 15.0, 5.0).reaches_band) == ("above", True)
    assert (read_against(band, 0.0, 5.0).position, read_against(band, 0.0, 5.0).reaches_band) == ("below", False)


def test_a_session_without_a_drill_shows_the_angles_and_the_jitter_alone(store):
    child = store.add_child("Noah", sex="M")
    store.add_session(child.id, recorded_at=OCTOBER, analysis=standing_analysis(90))
    store.add_session(child.id, recorded_at=NOVEMBER, drill="run", analysis=standing_analysis(90),
                      drill_note="no running strides found in the recording (90 frames): fewer than two foot strikes")

    no_drill, not_found = build_report(store, child.id).sessions
    for section in (no_drill, not_found):
        assert section.metrics == [] and section.moments == [] and section.key_frames is None
        assert [panel.title for panel in section.motion.panels] == ["Knee flexion", "Hip flexion", "Trunk lean"]
        assert section.motion.window_s is None and section.motion.angles_from_3d
        assert len(section.motion.jitter) == 90 and np.isfinite(section.motion.jitter[1:-1]).all()
        assert "shown alone" in " ".join(section.notes)
    assert no_drill.title == "Joint angles (no drill)" and "No drill was chosen" in " ".join(no_drill.notes)
    assert not_found.title == "Running stride: not scored"
    assert "fewer than two foot strikes" in " ".join(not_found.notes)


def test_trends_follow_a_metric_over_the_sessions_of_one_drill(store):
    child = store.add_child("Mia", birth_year=2014, sex="F")
    add_drill_session(store, child.id, "vertical-jump", jump_analysis(1.5, 0.40), OCTOBER)
    store.add_session(child.id, recorded_at=NOVEMBER, analysis=standing_analysis(60))
    add_drill_session(store, child.id, "vertical-jump", jump_analysis(1.5, 0.50), NOVEMBER)

    report = build_report(store, child.id)
    trends = {trend.metric_name: trend for trend in report.trends}
    assert "jumps" not in trends  # a count is not a trend
    height = trends["jump_height_cm"]
    assert [point.recorded_at for point in height.points] == [OCTOBER, NOVEMBER]
    assert height.points[1].value > height.points[0].value and height.band is None
    note = next(note for note in report.trend_notes if note.startswith("Jump height (flight time)"))
    assert "6 October 2025" in note and "10 November 2025" in note and "up by" in note
    assert "more than the measurement's uncertainty" in note

    only_one = build_report(store, child.id, [report.sessions[0].session.id])
    assert only_one.trends == [] and "two sessions or more" in only_one.trend_notes[0]


def test_sessions_are_checked_before_the_work(store):
    mia = store.add_child("Mia")
    noah = store.add_child("Noah")
    with pytest.raises(InputError, match="Mia has no sessions yet"):
        select_sessions(store, mia.id)
    own = store.add_session(mia.id, analysis=standing_analysis(30))
    other = store.add_session(noah.id, analysis=standing_analysis(30))
    with pytest.raises(InputError, match=f"session {other.id} is not one of Mia's sessions"):
        select_sessions(store, mia.id, [own.id, other.id])
    assert [session.id for session in select_sessions(store, mia.id, [own.id])] == [own.id]


def test_key_frames_are_the_headline_movement_and_a_missing_video_is_said(store, tmp_path):
    child = store.add_child("Mia")
    session = add_drill_session(store, child.id, "vertical-jump", jump_analysis(1.5, 0.45), OCTOBER)
    assert chosen_moments(session.drill_result) == [(33, "Deepest point"), (46, "Take-off"), (59, "Landing")]
    squat_like = {"events": [], "metrics": {}, "reps": [
        {"start_frame": 10, "deepest_frame": 20, "end_frame": 30, "metrics": {}},
        {"start_frame": 40, "deepest_frame": 50, "end_frame": 60, "metrics": {}}]}
    assert chosen_moments(squat_like) == [(20, "Deepest point, rep 1"), (50, "Deepest point, rep 2")]
    two_throws = {"metrics": {}, "events": [{"kind": "release", "frame": 87, "side": "right"},
                                            {"kind": "release", "frame": 215, "side": "left"}],
                  "reps": [{"start_frame": 69, "deepest_frame": 87, "end_frame": 90, "metrics": {}},
                           {"start_frame": 197, "deepest_frame": 215, "end_frame": 218, "metrics": {}}]}
    assert chosen_moments(two_throws) == [(87, "Right release"), (215, "Left release")]  # each throw's release

    store.add_session(child.id, recorded_at=NOVEMBER, drill="vertical-jump", analysis=jump_analysis(1.5, 0.45),
                      drill_result=session.drill_result, video_path=str(tmp_path / "moved.mp4"))
    first, moved = build_report(store, child.id).sessions
    assert first.key_frames.frames == [] and "No video is recorded" in first.key_frames.problem
    assert "moved.mp4 is no longer there (moved or deleted)" in moved.key_frames.problem


def test_values_are_rounded_to_their_uncertainty():
    assert value_text(0.6098, 0.0334) == "0.610" and value_text(56.85, 15.7) == "57"
    assert value_text(-6.35, 5.0) == "−6.3" and value_text(-0.3, 22.0) == "0" and value_text(117.4) == "117"
    assert value_text(True) == "yes" and value_text(2) == "2" and value_text(None) == "not measured"
    assert quantity_text(56.85, 15.7, "deg") == "57° (± 16°)"
    # a ratio's terms are in its label (feet over shoulders, knees over ankles): no unit of its own
    assert quantity_text(0.695, None, "ratio") == "0.69"
