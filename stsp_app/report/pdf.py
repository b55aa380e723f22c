"""The report's layout: a :class:`~stsp_app.report.content.Report` as an A4 PDF, with reportlab's platypus.

Pages: the title page (the child's profile, the sessions in the report, how to read it); one section per session
(plain-language summary, the metrics table with ± and references, the reps, the key moments' pictures, the joint
angles and the jitter trace with the moments marked, the drill's own notes); the trends over the sessions; the
references and how the numbers were measured. Every page has a footer "personal data — generated <date> by
STSP Coach <version>" and "page N of M". Text is set in DejaVu Sans (matplotlib's copy, so that the charts and
the text match and every name, accented or not, prints).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

import matplotlib
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from stsp_app.drills.uncertainty import ANGLE_ERROR_BY_VIEW_DEG, FPPA_ERROR_DEG
from stsp_app.records.models import recorded_text
from stsp_app.report import plots
from stsp_app.report.content import MetricRow, Report, SessionSection
from stsp_app.report.formatting import uncertainty_text, unit_text, value_text
from stsp_app.report.notes import day_text, main_result
from stsp_app.report.references import NOT_BUILT_IN, REFERENCE_BANDS, ReferenceBand

MARGIN = 18 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN
FONT = "DejaVuSans"
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#666666")
RULE = colors.HexColor("#bbbbbb")
ACCENT = colors.HexColor("#1f5f8b")
FAINT = colors.HexColor("#f2f5f8")
KEY_FRAME_HEIGHT = 80 * mm   # about: pictures per row follow from it and their width:height
MAX_KEY_FRAMES_PER_ROW = 4


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    faces = {"": "DejaVuSans.ttf", "-Bold": "DejaVuSans-Bold.ttf", "-Oblique": "DejaVuSans-Oblique.ttf",
             "-BoldOblique": "DejaVuSans-BoldOblique.ttf"}
    for suffix, file_name in faces.items():
        pdfmetrics.registerFont(TTFont(FONT + suffix, str(folder / file_name)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=f"{FONT}-Bold", italic=f"{FONT}-Oblique",
                                  boldItalic=f"{FONT}-BoldOblique")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12.5, textColor=INK, alignment=TA_LEFT)
    cell = ParagraphStyle("cell", parent=base, fontSize=8, leading=10)
    cell_note = ParagraphStyle("cell_note", parent=base, fontSize=6.8, leading=8.5, textColor=MUTED)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=10, textColor=MUTED),
        "cell": cell,
        "cell_note": cell_note,
        "cell_right": ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),  # numbers in a column
        "cell_note_right": ParagraphStyle("cell_note_right", parent=cell_note, alignment=TA_RIGHT),
        "title": ParagraphStyle("title", parent=base, fontName=f"{FONT}-Bold", fontSize=24, leading=29,
                                textColor=ACCENT, spaceAfter=2),
        "name": ParagraphStyle("name", parent=base, fontName=f"{FONT}-Bold", fontSize=17, leading=22,
                               spaceAfter=4),
        "h1": ParagraphStyle("h1", parent=base, fontName=f"{FONT}-Bold", fontSize=14, leading=18, textColor=ACCENT,
                             spaceAfter=3, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=base, fontName=f"{FONT}-Bold", fontSize=10.5, leading=14, spaceBefore=9,
                             spaceAfter=4, keepWithNext=1),
        "caption": ParagraphStyle("caption", parent=base, fontSize=7.3, leading=9.5, textColor=MUTED),
    }


class _NumberedCanvas(Canvas):
    """A canvas that knows the page count when it writes the footers ("page N of M")."""

    def __init__(self, *args, footer_left: str = "", header: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._footer_left = footer_left
        self._header = header

    def showPage(self) -> None:  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(number, len(self._pages))
            super().showPage()
        super().save()

    def _decorate(self, number: int, count: int) -> None:
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, 13 * mm, A4[0] - MARGIN, 13 * mm)
        self.setFont(FONT, 7)
        self.setFillColor(MUTED)
        self.drawString(MARGIN, 9 * mm, self._footer_left)
        self.drawRightString(A4[0] - MARGIN, 9 * mm, f"page {number} of {count}")
        if number > 1:
            self.drawString(MARGIN, A4[1] - 11 * mm, self._header)
            self.line(MARGIN, A4[1] - 12.5 * mm, A4[0] - MARGIN, A4[1] - 12.5 * mm)
        self.restoreState()


def write_pdf(report: Report, stream: BinaryIO) -> None:
    """Lay the report out as a PDF into ``stream`` (a file opened for writing in binary)."""
    _register_fonts()
    styles = _styles()
    generated = report.generated_at.strftime("%Y-%m-%d %H:%M")
    document = BaseDocTemplate(stream, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                               bottomMargin=MARGIN, title="Motion report", author=report.software,
                               creator=report.software, subject="STSP Coach motion report")
    frame = Frame(MARGIN, MARGIN, TEXT_WIDTH, A4[1] - 2 * MARGIN, id="text", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    story = _title_page(report, styles)
    for section in report.sessions:
        story += [PageBreak()] + _session_pages(report, section, styles)
    story += [PageBreak()] + _trend_pages(report, styles)
    story += [PageBreak()] + _reference_pages(report, styles)

    def canvas_maker(*args, **kwargs) -> _NumberedCanvas:
        return _NumberedCanvas(*args, footer_left=f"Personal data — generated {generated} by {report.software}",
                               header=f"Motion report · {report.child.display_name}", **kwargs)

    # Binary streams rather than ASCII85 text: a third smaller, and without reportlab's C accelerator the pure
    # Python ASCII85 encoder takes seconds per report.
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        document.build(story, canvasmaker=canvas_maker)
    finally:
        rl_config.useA85 = a85


# Title page

def _title_page(report: Report, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    child = report.child
    sessions = report.sessions
    first, last = sessions[0].session.recorded_at.date(), sessions[-1].session.recorded_at.date()
    period = day_text(first) if first == last else f"{day_text(first)} to {day_text(last)}"
    story: list[Flowable] = [
        Paragraph("Motion report", styles["title"]),
        Paragraph(escape(child.display_name), styles["name"]),
        Paragraph(f"{len(sessions)} session{'s' if len(sessions) != 1 else ''}, {period}. Generated "
                  f"{day_text(report.generated_at.date())} by {escape(report.software)}.", styles["body"]),
        Spacer(1, 5 * mm),
        Paragraph("Profile", styles["h2"]),
        _key_value_table(_profile_rows(report), styles),
        Paragraph("Sessions in this report", styles["h2"]),
        _sessions_table(report, styles),
        Paragraph("How to read this report", styles["h2"]),
        _bullets([
            "Each number comes with its uncertainty (±): how far the true value may lie from the measured one. "
            "For times it is one video frame; for joint angles it is the typical error of the video skeleton, "
            "measured on other children against a motion-capture system.",
            "Angles are in degrees: 0° at the knee, hip or elbow is a straight joint. Left and right are the "
            "child's own sides; in the charts and pictures the left side is blue and the right side orange.",
            "A reference range is shown only where a published study describes children (or adults) of this age "
            "and sex measured in the same way; its source is named. Where none fits there is no verdict: the "
            "numbers are best compared with the child's own earlier sessions (see the trends).",
            "Faces are blurred in every picture of this report." if report.faces_blurred else
            "<b>Faces are NOT blurred in this report</b>: face blurring was turned off when it was made.",
            "This report describes movement as a video shows it. It is not a medical assessment and makes no "
            "diagnosis; a physiotherapist or doctor can put the numbers in context.",
        ], styles["body"]),
    ]
    return story


def _profile_rows(report: Report) -> list[tuple[str, str]]:
    child = report.child
    last = report.sessions[-1].session.recorded_at.date()

    age = "" if child.birth_year is None else \
        f" ({last.year - child.birth_year - 1} or {last.year - child.birth_year} years old at the last session)"
    consent = "not recorded" if child.consent is None else child.consent.text()
    rows = [("Birth year", recorded_text(child.birth_year) + age),
            ("Sex", {"F": "female", "M": "male"}.get(child.sex, "not recorded")),
            ("Height", recorded_text(child.height_cm, "cm")),
            ("Body mass", recorded_text(child.body_mass_kg, "kg")),
            ("Dominant side", recorded_text(child.dominant_side)),
            ("Consent to film and keep records", consent)]
    if child.notes:
        rows.append(("Notes", child.notes))
    return rows


def _sessions_table(report: Report, styles: dict[str, ParagraphStyle]) -> Table:
    rows = [["#", "Filmed", "Drill", "Main result"]]
    for section in report.sessions:
        session = section.session
        headline = main_result(section)
        if section.drill_title is None:
            outcome = f"angles only ({session.drill_note})" if session.drill_note else "angles only"
        else:
            side = f" ({headline.side})" if headline is not None and headline.side else ""
            outcome = "—" if headline is None else f"{headline.label}{side}: {_value_with_unit(headline)}"
        rows.append([str(session.id), session.recorded_at.strftime("%Y-%m-%d %H:%M"), section.title, outcome])
    return _table(rows, [10 * mm, 30 * mm, 55 * mm, TEXT_WIDTH - 95 * mm], styles)


# Session pages

def _session_pages(report: Report, section: SessionSection, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    session = section.session
    when = f"{day_text(session.recorded_at.date())}, {session.recorded_at:%H:%M}"
    facts = [f"Session {session.id}", when]
    if session.video_path:
        facts.append(f"video {escape(Path(session.video_path).name)}")
    if section.motion is not None:
        facts.append(f"{section.motion.frames} frames at {section.motion.fps:.2f} frames/s")
    if section.motion is not None and not section.motion.angles_from_3d:
        facts.append("2D only (no 3D in this analysis)")
    elif section.motion is not None:
        facts.append(f"3D scaled to {session.stature_mm / 10:g} cm" if session.stature_mm else
                     "3D scaled from learnt body proportions (no height recorded)")
    story: list[Flowable] = [Paragraph(escape(section.title), styles["h1"]),
                             Paragraph(" · ".join(facts), styles["small"])]
    if session.coach_notes:
        story.append(Paragraph(f"<b>Coach's notes:</b> {escape(session.coach_notes)}", styles["small"]))
    story += [Paragraph("In short", styles["h2"]), _bullets([escape(note) for note in section.notes], styles["body"])]
    if section.metrics:
        story += [Paragraph("Measurements", styles["h2"]), _metrics_table(section.metrics, styles)]
    if section.reps:
        story += [Paragraph("Each repetition", styles["h2"]), _reps_table(section.reps, styles)]
    if section.drill_notes:
        story += [Paragraph("Notes of the analysis", styles["h2"]),
                  _bullets([escape(note) for note in section.drill_notes], styles["small"])]
    if section.key_frames is not None:
        story.append(_key_frames_block(section, report.faces_blurred, styles))
    motion = section.motion
    if motion is not None:
        shown = "" if motion.window_s is None else \
            f" Shown: {motion.window_s[0]:.1f}-{motion.window_s[1]:.1f} s of the {motion.duration_s:.1f} s video."
        story.append(KeepTogether([
            Paragraph("Joint angles over time", styles["h2"]),
            _chart(plots.angle_chart_png(motion, section.moments)),
            Paragraph("Each panel: the child's left (blue) and right (orange) side, or the trunk (grey); the ± in "
                      "its title is the typical error of that angle." +
                      (" Dashed lines mark the drill's moments." if section.moments else "") +
                      " A gap is a frame where the child or a joint was not found." + shown, styles["caption"])]))
        story.append(KeepTogether([
            Paragraph("Tracking smoothness", styles["h2"]),
            _chart(plots.jitter_chart_png(motion, section.moments)),
            Paragraph(f"For each frame, the mean over the 17 body points of their frame-to-frame acceleration "
                      f"({motion.jitter_unit}; × fps² for per s²). Steady tracking reads near 0; a spike "
                      "is a fast movement or a moment the tracking was unsure. It describes the measurement, not "
                      "the child." + shown, styles["caption"])]))
    elif section.analysis_problem:
        story.append(Paragraph(escape(section.analysis_problem), styles["body"]))
    if section.moments:
        story += [Paragraph("Moments found", styles["h2"]), _moments_table(section, styles)]
    return story


def _metrics_table(rows: list[MetricRow], styles: dict[str, ParagraphStyle]) -> Table:
    table_rows = [["Measure", "Side", "Value", "±", "Unit", "Reference"]]
    for row in rows:
        measure = [Paragraph(escape(row.label), styles["cell"])]
        if row.note:
            measure.append(Paragraph(escape(row.note), styles["cell_note"]))
        table_rows.append([measure, row.side or "", value_text(row.value, row.uncertainty),
                           uncertainty_text(row.uncertainty), unit_text(row.unit) if row.value is not None else "",
                           Paragraph(_reference_cell(row), styles["cell_note"])])
    widths = [68 * mm, 11 * mm, 20 * mm, 15 * mm, 22 * mm]
    return _table(table_rows, widths + [TEXT_WIDTH - sum(widths)], styles, align_right=(2, 3))


def _reference_cell(row: MetricRow) -> str:
    if row.band is None:
        return "—"
    band = row.band.band
    reach = " (its ± reaches it)" if row.band.reaches_band else ""
    return f"<b>{row.band.position}</b>{reach} {band.range_text}, {escape(band.who)} ({escape(band.source.short)})"


def _reps_table(reps: list[list[MetricRow]], styles: dict[str, ParagraphStyle]) -> Table:
    names = list(dict.fromkeys(row.name for rep in reps for row in rep))
    header = ["Measure"] + [f"Rep {number}" for number in range(1, len(reps) + 1)]
    table_rows = [header]
    for name in names:
        per_rep = [next((row for row in rep if row.name == name), None) for rep in reps]
        known = next(row for row in per_rep if row is not None)
        unit = unit_text(known.unit)
        label = f"{known.label}" + (f" ({unit})" if unit else "")
        table_rows.append([Paragraph(escape(label), styles["cell"])] + [_rep_cell(row, styles) for row in per_rep])
    first = 80 * mm
    rest = (TEXT_WIDTH - first) / len(reps)
    return _table(table_rows, [first] + [rest] * len(reps), styles, align_right=tuple(range(1, len(reps) + 1)))


def _rep_cell(row: MetricRow | None, styles: dict[str, ParagraphStyle]) -> str | list[Paragraph]:
    """A rep's value with its ±, and under it the metric's note where it has one ("Borderline: …")."""
    if row is None:
        return ""
    text = " ".join(filter(None, (value_text(row.value, row.uncertainty), uncertainty_text(row.uncertainty))))
    if not row.note:
        return text
    return [Paragraph(escape(text), styles["cell_right"]), Paragraph(escape(row.note), styles["cell_note_right"])]


def _key_frames_block(section: SessionSection, faces_blurred: bool,
                      styles: dict[str, ParagraphStyle]) -> Flowable:
    pictures = section.key_frames
    heading = Paragraph("Key moments", styles["h2"])
    if pictures.problem is not None:
        return KeepTogether([heading, Paragraph(escape(pictures.problem), styles["body"])])
    aspect = max(_size(key_frame.picture_jpeg)[0] / _size(key_frame.picture_jpeg)[1] for key_frame in pictures.frames)
    per_row = min(MAX_KEY_FRAMES_PER_ROW, max(2, int(TEXT_WIDTH // (KEY_FRAME_HEIGHT * aspect))))
    width = (TEXT_WIDTH - (per_row - 1) * 3 * mm) / per_row
    cells = []
    for key_frame in pictures.frames:
        image = _image(key_frame.picture_jpeg, width)
        caption = Paragraph(f"<b>{escape(key_frame.caption)}</b><br/>frame {key_frame.frame_index}, "
                            f"{key_frame.time_s:.2f} s", styles["caption"])
        cells.append([image, caption])
    while len(cells) % per_row:
        cells.append("")
    grid = Table([cells[start:start + per_row] for start in range(0, len(cells), per_row)],
                 colWidths=[width + 3 * mm] * per_row, hAlign="LEFT")
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    faces = "Faces blurred" if faces_blurred else "Faces NOT blurred (turned off for this report)"
    return KeepTogether([heading, grid, Paragraph(
        f"{faces}; cropped to the child; the skeleton as the analysis found it (left blue, right orange; hollow "
        "points: unsure).",
        styles["caption"])])


def _moments_table(section: SessionSection, styles: dict[str, ParagraphStyle]) -> Table:
    rows = [["Moment", "Frame", "Time (s)"]]
    rows += [[moment.title, str(moment.frame), f"{moment.time_s:.3f}"] for moment in section.moments]
    return _table(rows, [70 * mm, 20 * mm, 22 * mm], styles, align_right=(1, 2))


# Trends and references

def _trend_pages(report: Report, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("Trends over the sessions", styles["h1"]),
                             _bullets([escape(note) for note in report.trend_notes], styles["body"])]
    if report.trends:
        width = (TEXT_WIDTH - 4 * mm) / 2
        charts = [_image(plots.trend_chart_png(trend), width) for trend in report.trends]
        if len(charts) % 2:
            charts.append("")
        grid = Table([charts[start:start + 2] for start in range(0, len(charts), 2)], colWidths=[width + 4 * mm, width],
                     hAlign="LEFT")
        grid.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
        story += [Spacer(1, 3 * mm), grid, Paragraph(
            "Each point is one session, its bar the measurement's ±. A shaded range is a published reference "
            "that fits the child at every session, named in its legend.", styles["caption"])]
    return story


def _reference_pages(report: Report, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    shown = report.bands_shown
    story: list[Flowable] = [Paragraph("References and methods", styles["h1"]),
                             Paragraph("Reference ranges read in this report", styles["h2"])]
    if shown:
        story.append(_bullets(_band_texts(shown), styles["body"]))
    else:
        story.append(Paragraph("None: no published range built into STSP Coach describes this child's age and sex "
                               "for the measures in this report.", styles["body"]))
    story += [Paragraph("Reference ranges built into STSP Coach", styles["h2"]),
              Paragraph("Only ranges whose numbers were read in the source are used, each only for the population "
                        "it describes (the child's sex must be recorded, and the child's age, known to a year from "
                        "the birth year, must lie wholly within the population's ages).", styles["small"]),
              _bullets(_band_texts(list(REFERENCE_BANDS)), styles["small"]),
              Spacer(1, 2 * mm),
              Paragraph("Looked for and not built in:", styles["small"]),
              _bullets([escape(text) for text in NOT_BUILT_IN], styles["small"]),
              Paragraph("How sure the numbers are", styles["h2"]),
              _bullets([
                  "Joint angles: ± the mean error of the 3D skeleton against motion capture on held-out children, "
                  "filmed from the side / from the front (" + ", ".join(
                      f"{family.replace('_', ' ')} {errors['side']:g}° / {errors['front']:g}°"
                      for family, errors in ANGLE_ERROR_BY_VIEW_DEG.items()) +
                  f"); knee valgus (FPPA, 2D): ± {FPPA_ERROR_DEG:g}°.",
                  "Times (flight, contact, descent): ± one video frame (√2 frames for a duration between two "
                  "read moments); heights from the flight time: the same frame carried through h = g t² / 8.",
                  "Measures without ± (pelvis heights, speeds, ratios) have no measured error yet: compare them "
                  "only with the same child filmed the same way.",
                  "Definitions of every measure: docs/metrics.md of STSP Coach.",
              ], styles["small"]),
              Paragraph("Privacy", styles["h2"]),
              Paragraph(("Every face the analysis locates is blurred in every picture (pixelated, then "
                         "blurred): the child's from the face landmarks, anyone else the tracker follows from "
                         "their body; the pictures are cropped to the child. People the tracker does not follow in a "
                         "frame (and reflections in a mirror) are not known to the analysis and are not blurred: look "
                         "at the pictures before the report leaves the club. "
                         if report.faces_blurred else
                         "Face blurring was turned off for this report: the pictures show faces as filmed. ") +
                        "This report holds personal data about a child: share it only with the people the "
                        "consent covers.", styles["small"])]
    return story


def _band_texts(bands: list[ReferenceBand]) -> list[str]:
    """One bullet per source and measure, with its ranges per population."""
    grouped: dict[tuple, list[ReferenceBand]] = {}
    for band in bands:
        grouped.setdefault((band.source, band.drill, band.measure, band.task), []).append(band)
    texts = []
    for (source, drill, measure, task), group in grouped.items():
        ranges = "; ".join(f"<b>{band.range_text}</b> for {escape(band.who)}" for band in group)
        texts.append(f"{escape(measure[:1].upper() + measure[1:])} ({escape(drill)} drill): {ranges}. "
                     f"Measured as: {escape(task)}. "
                     f"Population: {escape(group[0].population)}. Meaning: {escape(group[0].meaning)}. Source: "
                     f"{escape(source.citation)}.")
    return texts


# Building blocks

def _value_with_unit(row: MetricRow) -> str:
    unit = unit_text(row.unit)
    shown = " ".join(filter(None, (value_text(row.value, row.uncertainty), uncertainty_text(row.uncertainty))))
    if row.value is None or isinstance(row.value, bool) or not unit:
        return shown
    return f"{shown}{unit}" if unit.startswith("°") else f"{shown} {unit}"


def _key_value_table(rows: list[tuple[str, str]], styles: dict[str, ParagraphStyle]) -> Table:
    table = Table([[Paragraph(escape(key), styles["cell"]), Paragraph(escape(value), styles["cell"])]
                   for key, value in rows], colWidths=[55 * mm, TEXT_WIDTH - 55 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TEXTCOLOR", (0, 0), (0, -1), MUTED), ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
    return table


def _table(rows: list[list], widths: list[float], styles: dict[str, ParagraphStyle],
           align_right: tuple[int, ...] = ()) -> Table:
    """A table with a header row, light rules and zebra rows; plain strings become wrapped paragraphs."""
    cells = [[Paragraph(escape(cell), styles["cell"]) if isinstance(cell, str) and index > 0 else cell
              for cell in row] for index, row in enumerate(rows)]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands = [("FONT", (0, 0), (-1, 0), f"{FONT}-Bold", 7.5), ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK), ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
    commands += [("BACKGROUND", (0, row), (-1, row), FAINT) for row in range(2, len(rows), 2)]
    for column in align_right:
        commands.append(("ALIGN", (column, 0), (column, -1), "RIGHT"))
        for row in range(1, len(rows)):
            if isinstance(cells[row][column], Paragraph):
                cells[row][column].style = styles["cell_right"]
    table.setStyle(TableStyle(commands))
    return table


def _bullets(paragraphs: list[str], style: ParagraphStyle) -> ListFlowable:
    return ListFlowable([ListItem(Paragraph(text, style), leftIndent=10, value="•") for text in paragraphs],
                        bulletType="bullet", start="•", leftIndent=10, bulletFontName=FONT, bulletFontSize=8)


def _size(data: bytes) -> tuple[int, int]:
    """A PNG or JPEG picture's (width, height) in pixels."""
    return ImageReader(io.BytesIO(data)).getSize()


def _image(data: bytes, width: float) -> Image:
    """A PNG or JPEG picture scaled to ``width`` points, keeping its proportions."""
    pixels_wide, pixels_high = _size(data)
    return Image(io.BytesIO(data), width=width, height=width * pixels_high / pixels_wide)


def _chart(png: bytes) -> Image:
    return _image(png, TEXT_WIDTH)
