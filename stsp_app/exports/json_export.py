"""JSON export: the whole analysis in one self-describing file (docs/formats.md, "Exports").

Unlike keypoints.json (the app's own result file) it carries its units, axes and angle definitions, the joint
angles of every frame and, when given, the drill result, so another program needs no other document.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from stsp_app import __version__
from stsp_app.core.analysis import VideoAnalysis
from stsp_app.core.atomic_write import write_text_atomic
from stsp_app.exports.table import (
    DECIMALS_CONFIDENCE, DECIMALS_DEG, DECIMALS_MM, DECIMALS_PX, DECIMALS_S, ExportTable,
)

EXPORT_FORMAT_NAME = "stsp-coach-export"
EXPORT_FORMAT_VERSION = 1


def _number(value: float, decimals: int) -> float | None:
    return round(float(value), decimals) if math.isfinite(value) else None


def _points(points: np.ndarray, decimals: tuple[int, int, int]) -> list[list[float | None]] | None:
    if not np.isfinite(points).any():
        return None
    return [[_number(v, d) for v, d in zip(point, decimals)] for point in points]


def export_document(analysis: VideoAnalysis, table: ExportTable,
                    drill_result: Mapping[str, Any] | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT_NAME,
        "format_version": EXPORT_FORMAT_VERSION,
        "software": f"STSP Coach {__version__}",
        "source": analysis.source,
        "fps": analysis.fps,
        "width_px": analysis.width,
        "height_px": analysis.height,
        "frame_count": analysis.frame_count,
        "joint_names": list(table.joint_names),
        "angle_names": list(table.angle_names),
        "units": {"time": "s", "kp2d": "px, px, confidence 0-1", "kp3d": "mm", "angles": "deg"},
        "axes": {
            "kp2d": "image pixels: origin at the top-left pixel's centre, x right, y down",
            "kp3d": "camera axes: x right, y down, z away from the camera; pelvis at the origin",
        },
        "angles_from": "3d" if table.has_3d else "2d-projected",
        "angle_definitions": "docs/metrics.md, 'Joint angles': unsigned degrees, 0 = straight or upright",
        "frames": [
            {
                "index": int(table.frame_indices[row]),
                "time_s": _number(table.time_s[row], DECIMALS_S),
                "person_found": bool(table.person_found[row]),
                "kp2d": _points(table.kp2d[row], (DECIMALS_PX, DECIMALS_PX, DECIMALS_CONFIDENCE)),
                "kp3d_mm": _points(table.kp3d_mm[row], (DECIMALS_MM,) * 3),
                "angles_deg": {name: _number(table.angles_deg[name][row], DECIMALS_DEG)
                               for name in table.angle_names},
            }
            for row in range(len(table))
        ],
    }
    if drill_result is not None:
        document["drill"] = dict(drill_result)
    return document


def write_json(analysis: VideoAnalysis, table: ExportTable, path: str | Path,
               drill_result: Mapping[str, Any] | None = None) -> None:
    document = export_document(analysis, table, drill_result)
    write_text_atomic(path, json.dumps(document, separators=(",", ":"), allow_nan=False) + "\n")
