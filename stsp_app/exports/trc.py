"""TRC export: the 17 joints as OpenSim markers (docs/formats.md, "Exports").

Layout as OpenSim's TRCFileAdapter reads and writes it: the ``PathFileType 4 (X/Y/Z)`` line, the metadata keys
and values (DataRate, CameraRate, NumFrames, NumMarkers, Units, OrigDataRate, OrigDataStartFrame,
OrigNumFrames), the marker names, the X1 Y1 Z1 ... line, an empty line, then one tab-separated row per analysed
frame: ``Frame#`` (video frame + 1), ``Time`` (that frame's own time, so uneven timing is kept), X Y Z per marker,
each field followed by a tab. A marker without a value (nobody found, no 3D) has three empty fields, which
OpenSim reads as a missing marker (NaN). Millimetres, OpenSim axes (:mod:`stsp_app.exports.axes`), the pelvis
at the origin: the analysis is pelvis-relative.
"""

from __future__ import annotations

from pathlib import Path

from stsp_app.core.atomic_write import write_text_atomic
from stsp_app.exports.axes import CAMERA_TO_OPENSIM, rotate
from stsp_app.exports.table import DECIMALS_MM, DECIMALS_S, ExportTable, format_number

TRC_METADATA_KEYS = ("DataRate", "CameraRate", "NumFrames", "NumMarkers", "Units", "OrigDataRate",
                     "OrigDataStartFrame", "OrigNumFrames")


def write_trc(table: ExportTable, path: str | Path, *, fps: float, frame_count: int) -> None:
    """``frame_count``: the frames of the source video (OrigNumFrames)."""
    path = Path(path)
    markers_mm = rotate(table.kp3d_mm, CAMERA_TO_OPENSIM)
    first_frame = int(table.frame_indices[0]) + 1 if len(table) else 1
    rate = f"{fps:.6g}"
    values = (rate, rate, len(table), len(table.joint_names), "mm", rate, first_frame, frame_count)
    lines = [
        f"PathFileType\t4\t(X/Y/Z)\t{path.name}",
        "\t".join(TRC_METADATA_KEYS),
        "\t".join(str(value) for value in values),
        "Frame#\tTime\t" + "".join(f"{name}\t\t\t" for name in table.joint_names),
        "\t\t" + "".join(f"X{i}\tY{i}\tZ{i}\t" for i in range(1, len(table.joint_names) + 1)),
        "",
    ]
    for row in range(len(table)):
        fields = [str(int(table.frame_indices[row]) + 1), format_number(table.time_s[row], DECIMALS_S)]
        fields += [format_number(value, DECIMALS_MM) for value in markers_mm[row].ravel()]
        lines.append("".join(f"{field}\t" for field in fields))
    write_text_atomic(path, "\n".join(lines) + "\n")
