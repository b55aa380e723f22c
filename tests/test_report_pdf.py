"""The motion report as a PDF, from records of a real clip (a girl's countermovement jump, analysed once for the
test session): a valid PDF that poppler renders page by page, whose text holds the child's name, each drill's
metric labels and units and the sources of the bands shown, and whose key-frame pictures have the face blurred."""

from __future__ import annotations

import subprocess
from datetime import datetime

import cv2
import numpy as np
import pytest

from stsp_app.core.skeleton import BLAZEPOSE_INDEX, BONES
from stsp_app.exports.pictures import analysed_frame
from stsp_app.records import RecordStore
from stsp_app.report import write_report
from stsp_app.report.formatting import uncertainty_text, unit_text, value_text
from stsp_app.report.key_frames import PICTURE_WIDTH_PX, chosen_moments, child_crop, key_frame_pictures
from tests.conftest import VIDEO_DIR
from tests.report_records import add_drill_session

CLIP = VIDEO_DIR / "cmj_teen_front.mp4"
# Born 2005: 19 or 20 at the sessions, so the drop-jump FPPA band for women aged 18-28 fits her.
BIRTH_YEAR = 2005
# The face region looked at: around the nose and ears, this many ear-to-ear distances each way (inside the blurred
# ellipse, which spans 1.8 x 2 head widths).
HALF_FACE = 0.8


@pytest.fixture(scope="module")
def clip_records(tmp_path_factory, analysed_clip):
    """Léa (born 2005, F): the clip as a vertical jump, as a drop jump, as a session without a drill, and as a drop
    jump whose video has since moved."""
    analysis = analysed_clip(CLIP.name)
    root = tmp_path_factory.mktemp("report_records")
    with RecordStore(root / "records.sqlite3") as store:
        child = store.add_child("Léa Martin", birth_year=BIRTH_YEAR, sex="F", height_cm=158, dominant_side="right")
        when = lambda month, day: datetime(2025, month, day, 17, 30).astimezone()
        add_drill_session(store, child.id, "vertical-jump", analysis, when(10, 6), video=CLIP, notes="first try")
        add_drill_session(store, child.id, "drop-jump", analysis, when(11, 10), video=CLIP)
        store.add_session(child.id, recorded_at=when(11, 24), analysis=analysis, video_path=str(CLIP))
        moved = add_drill_session(store, child.id, "drop-jump", analysis, when(12, 1))
        store._db.execute("UPDATE sessions SET video_path = ? WHERE id = ?", (str(root / "gone.mp4"), moved.id))
        yield store, child, analysis


def pdf_text(path) -> str:
    """The PDF's text in drawing order (a table cell's lines stay together), blanks collapsed."""
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(raw.split())


def test_the_pdf_renders_and_holds_the_name_the_metrics_with_units_and_the_band_sources(clip_records, tmp_path):
    store, child, _ = clip_records
    path = write_report(store, child.id, tmp_path / "out" / "report.pdf")

    assert path == tmp_path / "out" / "report.pdf" and path.read_bytes().startswith(b"%PDF-")
    assert sorted(entry.name for entry in path.parent.iterdir()) == ["report.pdf"]  # no temporary file left
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 1 + 4 + 2  # title, a page or more per session, trends, references
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(path), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == pages

    text = pdf_text(path)
    assert "Motion report" in text and "Léa Martin" in text and f"page 1 of {pages}" in text
    assert "Personal data — generated" in text and "by STSP Coach 0.1.0" in text
    for session in store.sessions_of(child.id):
        for metric in (session.drill_result or {}).get("metrics", {}).values():
            assert metric["label"] in text, metric["label"]
    # Each metric's row as printed: label, value rounded to its ±, ±, unit (the figures are those this machine's
    # analysis of the clip gave; the 2D stage's last digits vary from one CPU to another).
    jump = store.sessions_of(child.id)[0].drill_result["metrics"]
    assert jump["flight_time_s"]["unit"] == "s" and jump["countermovement_knee_flexion_deg"]["unit"] == "deg"
    for name in ("flight_time_s", "jump_height_cm", "countermovement_knee_flexion_deg"):
        metric = jump[name]
        row = (f"{metric['label']} {value_text(metric['value'], metric['uncertainty'])} "
               f"{uncertainty_text(metric['uncertainty'])} {unit_text(metric['unit'])}")
        assert row in text, row
    assert "Herrington & Munro 2010" in text
    assert ("Herrington L, Munro A. Drop jump landing knee valgus angle; normative data in a physically active "
            "population. Physical Therapy in Sport 2010;11(2):56-59") in text
    assert "for physically active women aged 18-28" in text
    assert "Joint angles (no drill)" in text and "shown alone" in text
    assert "gone.mp4 is no longer there (moved or deleted)" in text
    assert "Faces are blurred in every picture of this report" in text


def test_the_key_frames_have_the_face_blurred(clip_records):
    store, child, analysis = clip_records
    session = store.sessions_of(child.id)[0]
    blurred = key_frame_pictures(session.drill_result, analysis, session.video_path, session.video_sha256)
    sharp = key_frame_pictures(session.drill_result, analysis, session.video_path, session.video_sha256,
                               blur_faces=False)
    assert blurred.problem is None and [frame.caption for frame in blurred.frames] == \
        [caption for _, caption in chosen_moments(session.drill_result)] == ["Deepest point", "Take-off", "Landing"]

    frames = [analysed_frame(analysis, key_frame.frame_index) for key_frame in blurred.frames]
    left, top, right, _ = child_crop(frames, analysis.width, analysis.height)
    scale = min(1.0, PICTURE_WIDTH_PX / (right - left))
    for frame, with_blur, without in zip(frames, blurred.frames, sharp.frames):
        picture, original = (cv2.imdecode(np.frombuffer(key_frame.picture_jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
                             for key_frame in (with_blur, without))
        to_picture = lambda points: (np.asarray(points)[..., :2] - (left, top)) * scale
        face = to_picture(frame.kp2d_raw33[[BLAZEPOSE_INDEX[name] for name in ("nose", "left_ear", "right_ear")]])
        half = max(6, int(HALF_FACE * np.linalg.norm(face[1] - face[2])))
        x, y = face.mean(axis=0).astype(int)
        region = np.s_[y - half:y + half, x - half:x + half]
        # The skeleton is drawn over the blur (a bone runs through the face): its pixels are left out.
        skeleton = np.zeros_like(picture)
        joints = to_picture(frame.kp2d).round().astype(int)
        for parent, child in BONES:
            cv2.line(skeleton, tuple(joints[parent]), tuple(joints[child]), 255, 12)
        detail = lambda image: float(cv2.Laplacian(image.astype(np.float64), cv2.CV_64F)[region][
            skeleton[region] == 0].var())
        assert detail(picture) < 0.2 * detail(original), frame.index
        feet = np.s_[-picture.shape[0] // 8:, :]  # far from any face: left as it was (up to JPEG noise)
        assert np.abs(picture[feet].astype(int) - original[feet].astype(int)).mean() < 2.0


def test_a_reps_note_is_printed_under_its_value(tmp_path):
    """Each repetition's table carries a metric's note under its value: two synthetic squats whose hip stops
    0.01 thigh lengths above parallel read "no", marked borderline (the margin's ± is 0.1 thigh lengths)."""
    from tests.test_drills_squat import squat_recording, squat_series
    from stsp_app.drills import run_drill

    result = run_drill("squat", squat_recording(squat_series([60, 150], depth_deg=110.0, rows=220))).to_json_dict()
    notes = [rep["metrics"]["below_parallel"].get("note") for rep in result["reps"]]
    assert len(notes) == 2 and all(note and note.startswith("Borderline") for note in notes)
    with RecordStore(tmp_path / "records.sqlite3") as store:
        child = store.add_child("Sam", birth_year=2012)
        store.add_session(child.id, drill="squat", drill_result=result)
        text = pdf_text(write_report(store, child.id, tmp_path / "report.pdf"))
    assert text.count("Borderline: within ±0.1 thigh lengths (about 4 cm) of parallel") == 2, text
