"""The report's charts, drawn with matplotlib's Agg canvas into PNG bytes in memory (no window, no pyplot).

- :func:`angle_chart_png`: a session's joint angles over time, one panel per angle family (the child's left in
  the app's blue, right in its orange), the drill's moments as dashed lines named in a legend, each panel's ±;
- :func:`jitter_chart_png`: the temporal-smoothness (TS) jitter trace with the same moments;
- :func:`trend_chart_png`: one metric over the child's sessions, each value with its ± as an error bar and, where
  one fits the child, the reference band shaded and named.

Both time charts show ``MotionTraces.window_s`` (the drill's movement) when it is set, else the whole video.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from stsp_app.core.drawing_style import SIDE_COLOURS_RGB
from stsp_app.drills.moments import Moment
from stsp_app.report.content import MotionTraces, Trend
from stsp_app.report.formatting import unit_text

PAGE_WIDTH_IN = 6.8          # the text width of an A4 page with the report's margins
DPI = 200
SIDE_COLOURS = {"left": SIDE_COLOURS_RGB["left"], "right": SIDE_COLOURS_RGB["right"], "both": (0.25, 0.25, 0.25)}
SIDE_NAMES = {"left": "left", "right": "right", "both": "trunk"}
MOMENT_COLOURS = ("#6a3d9a", "#33a02c", "#b15928", "#e31a1c", "#1f78b4", "#ff7f00", "#a6761d", "#666666")
MAX_DATE_TICKS = 6
PANEL_HEIGHT_IN = 1.35      # one angle panel with its title
TREND_TITLE_CHARACTERS = 38   # a line of a trend chart's title (7.5 pt bold over its 2.6 inches)
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 7.5,
    "axes.titlesize": 8,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.5,
    "legend.fontsize": 7,
    "legend.frameon": False,
    "axes.formatter.useoffset": False,
}
# Fixed margins in inches (a layout engine would double the drawing time).
LEFT_IN, RIGHT_IN, BOTTOM_IN, TITLE_IN, MOMENT_LEGEND_IN, PANEL_GAP_IN = 0.62, 0.1, 0.42, 0.28, 0.22, 0.38


def angle_chart_png(motion: MotionTraces, moments: list[Moment]) -> bytes:
    shown = _window(motion)
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(PAGE_WIDTH_IN, PANEL_HEIGHT_IN * len(motion.panels) + 0.75))
        axes_list = figure.subplots(len(motion.panels), 1, sharex=True, squeeze=False)[:, 0]
        skeleton = "3D skeleton" if motion.angles_from_3d else "2D projected, 3D unavailable"
        for axes, panel in zip(axes_list, motion.panels):
            source = "2D, in the picture" if panel.from_image else skeleton
            for side, curve in panel.curves_deg.items():
                axes.plot(motion.time_s[shown], curve[shown], color=SIDE_COLOURS[side], linewidth=1.1,
                          label=SIDE_NAMES[side])
            axes.set_title(f"{panel.title}   (± {panel.uncertainty_deg:g}°, {source})")
            axes.set_ylabel("degrees")
            axes.legend(loc="upper left", ncols=2, handlelength=1.2)
            _moment_lines(axes, moments, motion)
        axes_list[-1].set_xlabel("time in the video (s)")
        _moment_legend(figure, moments, motion)
        _margins(figure, moments)
        return _png(figure)


def jitter_chart_png(motion: MotionTraces, moments: list[Moment]) -> bytes:
    shown = _window(motion)
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(PAGE_WIDTH_IN, 2.1))
        axes = figure.subplots()
        axes.plot(motion.time_s[shown], motion.jitter[shown], color="#444444", linewidth=0.9)
        axes.set_title("Temporal smoothness (TS): how much the skeleton jitters from frame to frame")
        axes.set_ylabel(motion.jitter_unit)
        axes.set_xlabel("time in the video (s)")
        axes.set_ylim(bottom=0)
        _moment_lines(axes, moments, motion)
        _moment_legend(figure, moments, motion)
        _margins(figure, moments)
        return _png(figure)


def trend_chart_png(trend: Trend) -> bytes:
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(PAGE_WIDTH_IN / 2 - 0.1, 2.0))
        axes = figure.subplots()
        when = date2num([point.recorded_at for point in trend.points])
        values = np.array([point.value for point in trend.points])
        errors = np.array([0.0 if point.uncertainty is None else point.uncertainty for point in trend.points])
        if trend.band is not None:
            axes.axhspan(trend.band.low, trend.band.high, color="#9ecae1", alpha=0.45, linewidth=0,
                         label=f"{trend.band.range_text}: {trend.band.source.short}")
            axes.legend(loc="best")
        axes.plot(when, values, color="#9e9e9e", linewidth=0.8, zorder=2)
        axes.errorbar(when, values, yerr=errors if errors.any() else None, fmt="o", markersize=3.5,
                      color=SIDE_COLOURS.get(trend.side or "both"), ecolor="#555555", elinewidth=0.8, capsize=2.5,
                      zorder=3)
        side = f" ({trend.side})" if trend.side and f"({trend.side}" not in trend.label else ""
        title = _wrapped(f"{trend.label}{side}", TREND_TITLE_CHARACTERS)
        axes.set_title(title, fontsize=7.5)
        axes.set_ylabel("degrees" if trend.unit == "deg" else unit_text(trend.unit) or trend.unit)
        _value_limits(axes, values, errors, trend)
        _date_axis(axes, trend, when)
        _margins(figure, [], left_in=0.72, title_lines=2)  # room for two lines: every trend chart alike
        return _png(figure)


def _window(motion: MotionTraces) -> np.ndarray:
    """The rows of the charts' stretch of video (all rows without a window)."""
    if motion.window_s is None:
        return np.ones(len(motion.time_s), dtype=bool)
    start, end = motion.window_s
    return (motion.time_s >= start) & (motion.time_s <= end)


def _visible(moments: list[Moment], motion: MotionTraces) -> list[Moment]:
    if motion.window_s is None:
        return moments
    start, end = motion.window_s
    return [moment for moment in moments if start <= moment.time_s <= end]


def _moment_colours(moments: list[Moment]) -> dict[str, str]:
    labels = list(dict.fromkeys(moment.title for moment in moments))
    return {label: MOMENT_COLOURS[index % len(MOMENT_COLOURS)] for index, label in enumerate(labels)}


def _moment_lines(axes, moments: list[Moment], motion: MotionTraces) -> None:
    colours = _moment_colours(moments)
    for moment in _visible(moments, motion):
        axes.axvline(moment.time_s, color=colours[moment.title], linestyle="--", linewidth=0.8, alpha=0.85)


def _moment_legend(figure: Figure, moments: list[Moment], motion: MotionTraces) -> None:
    """The moments' names above the panels (``_margins`` leaves room for them)."""
    colours = _moment_colours(moments)
    shown = {moment.title for moment in _visible(moments, motion)}
    entries = [(label, colour) for label, colour in colours.items() if label in shown]
    if entries:
        handles = [Line2D([], [], color=colour, linestyle="--", linewidth=0.9) for _, colour in entries]
        figure.legend(handles, [label for label, _ in entries], loc="upper right", bbox_to_anchor=(0.995, 1.0),
                      ncols=min(len(entries), 5), handlelength=1.6, columnspacing=1.2)
        figure.text(0.01, 1.0 - 0.08 / figure.get_figheight(), "dashed lines:", va="top", fontsize=7,
                    color="#555555")


def _value_limits(axes, values: np.ndarray, errors: np.ndarray, trend: Trend) -> None:
    """Room for the values, their ± and any band; at least 10 % of the value's size, so that equal values
    make a level line rather than a magnified float rounding."""
    low, high = float(np.min(values - errors)), float(np.max(values + errors))
    if trend.band is not None:
        low, high = min(low, trend.band.low), max(high, trend.band.high)
    least = 0.1 * max(abs(low), abs(high)) or 1.0
    if high - low < least:
        middle = (high + low) / 2
        low, high = middle - least / 2, middle + least / 2
    pad = 0.08 * (high - low)
    axes.set_ylim(low - pad, high + pad)


def _date_axis(axes, trend: Trend, when: np.ndarray) -> None:
    """Ticks at the sessions' dates when they are few, else matplotlib's concise date ticks."""
    days = [point.recorded_at.date() for point in trend.points]
    if len(set(days)) <= MAX_DATE_TICKS:
        ticks = {day: number for day, number in zip(days, when)}
        labels, year = [], None
        for day in ticks:
            labels.append(f"{day.day} {day:%b}" + (f"\n{day.year}" if day.year != year else ""))
            year = day.year
        axes.set_xticks(list(ticks.values()), labels)
        axes.grid(False, axis="x")
    else:
        locator = AutoDateLocator(minticks=2, maxticks=MAX_DATE_TICKS)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    span = float(max(when) - min(when))
    axes.set_xlim(min(when) - max(span * 0.1, 2.0), max(when) + max(span * 0.1, 2.0))


def _margins(figure: Figure, moments: list[Moment], *, left_in: float = LEFT_IN, title_lines: int = 1) -> None:
    """Fixed margins: room for the axis labels, the panels' titles and, with moments, their legend on top."""
    width, height = figure.get_figwidth(), figure.get_figheight()
    top_in = TITLE_IN * title_lines + (MOMENT_LEGEND_IN if moments else 0.0)
    panels = max(1, len(figure.axes))
    panel_in = (height - top_in - BOTTOM_IN - PANEL_GAP_IN * (panels - 1)) / panels
    figure.subplots_adjust(left=left_in / width, right=1 - RIGHT_IN / width, top=1 - top_in / height,
                           bottom=BOTTOM_IN / height, hspace=PANEL_GAP_IN / panel_in)


def _wrapped(text: str, width: int) -> str:
    """Break a long title into lines of at most ``width`` characters at spaces."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join(lines + [line])


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
