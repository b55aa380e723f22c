"""An analysis written for other tools (CSV, JSON, TRC, MOT, C3D), and pictures of its frames with faces blurred.

Entry points:

- :func:`export_analysis` (an analysis, a folder, the formats) → the files written, one per format, each
  atomically. ``EXPORT_FORMATS`` is the one list of formats that the command line, the settings and the app
  read; ``FORMAT_LABELS`` names them for people.
- :func:`stsp_app.exports.pictures.frame_picture` → a video frame with the skeleton drawn and every face
  blurred (:func:`stsp_app.exports.face_blur.blur_faces`), and ``save_picture`` to write it.

Formats, axes, units and what a frame without the child looks like in each: docs/formats.md, "Exports".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from stsp_app.core.analysis import VideoAnalysis
from stsp_app.errors import InputError
from stsp_app.exports.c3d import write_c3d
from stsp_app.exports.csv_table import read_csv_export, write_csv
from stsp_app.exports.json_export import write_json
from stsp_app.exports.mot import write_mot
from stsp_app.exports.table import ExportTable, export_table
from stsp_app.exports.trc import write_trc

__all__ = ["EXPORT_FORMATS", "FORMAT_LABELS", "ExportTable", "default_stem", "export_analysis", "export_table",
           "read_csv_export"]

FORMAT_LABELS: dict[str, str] = {
    "csv": "CSV table (Excel): time, 2D, 3D and angles per frame",
    "json": "JSON: the whole analysis with units, axes and the drill result",
    "trc": "TRC: OpenSim markers (3D joints)",
    "mot": "MOT: OpenSim storage of the joint angles",
    "c3d": "C3D: 3D joints and angles for Visual3D, Mokka, Nexus",
}
EXPORT_FORMATS: tuple[str, ...] = tuple(FORMAT_LABELS)


def default_stem(analysis: VideoAnalysis) -> str:
    """The exported files' name without suffix: the analysed video's name, else ``analysis``."""
    return Path(analysis.source).stem or "analysis"


def export_analysis(
    analysis: VideoAnalysis,
    out_dir: str | Path,
    formats: Sequence[str] = EXPORT_FORMATS,
    *,
    stem: str | None = None,
    drill_result: Mapping[str, Any] | None = None,
) -> dict[str, Path]:
    """Write ``out_dir/STEM.FORMAT`` for each format; returns format → path. ``drill_result`` (a drill's JSON
    form, ``DrillResult.to_json_dict()``) goes into the JSON export."""
    unknown = [name for name in formats if name not in EXPORT_FORMATS]
    if unknown:
        raise ValueError(f"unknown export formats {unknown}; the formats are {', '.join(EXPORT_FORMATS)}")
    if not analysis.frames:
        raise InputError("the analysis holds no frames: nothing to export")
    out_dir = Path(out_dir)
    stem = stem or default_stem(analysis)
    table = export_table(analysis)
    written: dict[str, Path] = {}
    for name in formats:
        path = out_dir / f"{stem}.{name}"
        if name == "csv":
            write_csv(table, path)
        elif name == "json":
            write_json(analysis, table, path, drill_result)
        elif name == "trc":
            write_trc(table, path, fps=analysis.fps, frame_count=analysis.frame_count)
        elif name == "mot":
            write_mot(table, path)
        else:
            write_c3d(table, path, fps=analysis.fps)
        written[name] = path
    return written
