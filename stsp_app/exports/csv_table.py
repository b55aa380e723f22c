"""CSV export: one row per analysed frame, for Excel and any statistics tool (docs/formats.md, "Exports").

Columns, units in their names: ``frame``, ``time_s``, ``person_found`` (1/0), then per joint ``<joint>_x_px``,
``<joint>_y_px``, ``<joint>_confidence``, then per joint ``<joint>_x_mm``, ``<joint>_y_mm``, ``<joint>_z_mm``
(pelvis-relative, camera axes: x right, y down, z away), then per angle ``<angle>_deg``. A value that does not
exist (nobody found, no 3D, an angle without a value) is an empty cell. Comma-separated, decimal point, UTF-8.
:func:`read_csv_export` reads the file back into the arrays it was written from.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from stsp_app.core.atomic_write import atomic_path
from stsp_app.core.skeleton import JOINT_NAMES
from stsp_app.errors import InputError
from stsp_app.exports.table import (
    DECIMALS_CONFIDENCE, DECIMALS_DEG, DECIMALS_MM, DECIMALS_PX, DECIMALS_S, ExportTable, format_number,
)
from stsp_app.kinematics.joint_angles import ANGLE_NAMES


def csv_columns(joint_names: tuple[str, ...] = JOINT_NAMES,
                angle_names: tuple[str, ...] = ANGLE_NAMES) -> list[str]:
    columns = ["frame", "time_s", "person_found"]
    columns += [f"{joint}_{part}" for joint in joint_names for part in ("x_px", "y_px", "confidence")]
    columns += [f"{joint}_{axis}_mm" for joint in joint_names for axis in "xyz"]
    columns += [f"{angle}_deg" for angle in angle_names]
    return columns


def write_csv(table: ExportTable, path: str | Path) -> None:
    digits_2d = [DECIMALS_PX, DECIMALS_PX, DECIMALS_CONFIDENCE]
    with atomic_path(path) as temporary, open(temporary, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(csv_columns(table.joint_names, table.angle_names))
        for row in range(len(table)):
            cells = [str(int(table.frame_indices[row])), format_number(table.time_s[row], DECIMALS_S),
                     "1" if table.person_found[row] else "0"]
            cells += [format_number(value, digits_2d[part])
                      for joint in table.kp2d[row] for part, value in enumerate(joint)]
            cells += [format_number(value, DECIMALS_MM) for value in table.kp3d_mm[row].ravel()]
            cells += [format_number(table.angles_deg[name][row], DECIMALS_DEG) for name in table.angle_names]
            writer.writerow(cells)


def read_csv_export(path: str | Path) -> ExportTable:
    """The arrays of a CSV written by :func:`write_csv`, each to the precision written."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InputError(f"{path}: cannot be read as a CSV export ({error})") from None
    expected = csv_columns()
    if not rows or rows[0] != expected:
        raise InputError(f"{path}: not an STSP Coach CSV export (its header differs)")
    try:
        values = np.array([[float(cell) if cell else np.nan for cell in row] for row in rows[1:]],
                          dtype=np.float64).reshape(len(rows) - 1, len(expected))
    except ValueError as error:
        raise InputError(f"{path}: not an STSP Coach CSV export ({error})") from None
    joints = len(JOINT_NAMES)
    start_3d = 3 + 3 * joints
    start_angles = start_3d + 3 * joints
    return ExportTable(
        frame_indices=values[:, 0].astype(np.int64),
        time_s=values[:, 1],
        person_found=values[:, 2] == 1,
        kp2d=values[:, 3:start_3d].reshape(-1, joints, 3),
        kp3d_mm=values[:, start_3d:start_angles].reshape(-1, joints, 3),
        angles_deg={name: values[:, start_angles + i] for i, name in enumerate(ANGLE_NAMES)},
    )
