"""MOT export: the joint angles as an OpenSim storage file (docs/formats.md, "Exports").

The layout Sports2D writes and OpenSim reads (its STO/MOT adapters, the Plotter, Preview Experimental Data): a
header (``Coordinates``, ``version=1``, ``nRows``, ``nColumns`` counting the time column, ``inDegrees=yes``,
free-text lines, ``endheader``), the column names ``time`` and one per angle, then one tab-separated row per
analysed frame with that frame's own time. A missing angle is ``NaN``, which OpenSim reads as a number
(an empty field would stop its reader). The angles are STSP Coach's (docs/metrics.md, "Joint angles"), not
the coordinates of an OpenSim model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from stsp_app.core.atomic_write import write_text_atomic
from stsp_app.exports.table import DECIMALS_DEG, DECIMALS_S, ExportTable

MOT_NAME = "Coordinates"


def _value(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}" if np.isfinite(value) else "NaN"


def write_mot(table: ExportTable, path: str | Path) -> None:
    names = table.angle_names
    source = "3D poses" if table.has_3d else "2D image keypoints (projected angles: no 3D in this analysis)"
    lines = [
        MOT_NAME,
        "version=1",
        f"nRows={len(table)}",
        f"nColumns={len(names) + 1}",
        "inDegrees=yes",
        "",
        "Joint angles of STSP Coach in degrees, unsigned (0 straight or upright), from the " + source + ".",
        "Definitions: docs/metrics.md of STSP Coach, 'Joint angles'. NaN: no value in that frame.",
        "",
        "endheader",
        "\t".join(("time", *names)),
    ]
    for row in range(len(table)):
        fields = [_value(table.time_s[row], DECIMALS_S)]
        fields += [_value(table.angles_deg[name][row], DECIMALS_DEG) for name in names]
        lines.append("\t".join(fields))
    write_text_atomic(path, "\n".join(lines) + "\n")
