"""The CSV export reads back into the analysis's numbers (to the decimals written), on a real clip and on
arbitrary arrays with gaps."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from stsp_app.core.skeleton import JOINT_NAMES
from stsp_app.errors import InputError
from stsp_app.exports import export_analysis, read_csv_export
from stsp_app.exports.csv_table import csv_columns, write_csv
from stsp_app.exports.table import (
    DECIMALS_CONFIDENCE, DECIMALS_DEG, DECIMALS_MM, DECIMALS_PX, DECIMALS_S, ExportTable,
)
from stsp_app.kinematics.joint_angles import ANGLE_NAMES, joint_angles_2d
from stsp_app.kinematics.motion_series import motion_series


def half_unit(decimals: int) -> float:
    """The largest rounding error of a number written with ``decimals`` decimals (plus float noise)."""
    return 0.5 * 10.0 ** -decimals + 1e-9


def assert_same_to(read: np.ndarray, expected: np.ndarray, decimals: int) -> None:
    read, expected = np.asarray(read, dtype=float), np.asarray(expected, dtype=float)
    np.testing.assert_array_equal(np.isnan(read), np.isnan(expected))
    both = ~np.isnan(expected)
    assert np.all(np.abs(read[both] - expected[both]) <= half_unit(decimals))


def test_round_trip_equals_the_analysis(analysed_clip, tmp_path):
    analysis = analysed_clip("basketball_youth_drill.mp4")
    path = export_analysis(analysis, tmp_path, ["csv"], stem="clip")["csv"]
    assert path == tmp_path / "clip.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:4] == ["frame", "time_s", "person_found", "pelvis_x_px"]
    assert "right_wrist_z_mm" in header and header[-1] == "trunk_lean_deg"

    read = read_csv_export(path)
    series = motion_series(analysis.frames)
    assert len(read) == len(analysis.frames) == 300
    np.testing.assert_array_equal(read.frame_indices, [frame.index for frame in analysis.frames])
    assert_same_to(read.time_s, [frame.time_s for frame in analysis.frames], DECIMALS_S)
    np.testing.assert_array_equal(read.person_found, [frame.kp2d is not None for frame in analysis.frames])
    assert_same_to(read.kp2d[..., :2], analysis.kp2d_array()[..., :2], DECIMALS_PX)
    assert_same_to(read.kp2d[..., 2], analysis.kp2d_array()[..., 2], DECIMALS_CONFIDENCE)
    assert_same_to(read.kp3d_mm, analysis.kp3d_array(), DECIMALS_MM)
    for name in ANGLE_NAMES:
        assert_same_to(read.angles_deg[name], series.angles.degrees[name], DECIMALS_DEG)
    # frames where the player was not found are empty rows, not zeros or repeated values
    missing = ~read.person_found
    assert 0 < missing.sum() < 100
    assert np.isnan(read.kp2d[missing]).all() and np.isnan(read.kp3d_mm[missing]).all()
    assert all(np.isnan(read.angles_deg[name][missing]).all() for name in ANGLE_NAMES)


def _tables() -> st.SearchStrategy[ExportTable]:
    values = st.one_of(st.floats(-1e5, 1e5, allow_nan=False, allow_infinity=False), st.just(np.nan))

    @st.composite
    def build(draw) -> ExportTable:
        rows = draw(st.integers(0, 5))
        return ExportTable(
            frame_indices=np.arange(rows) + draw(st.integers(0, 10_000)),
            time_s=draw(arrays(float, rows, elements=st.floats(0, 1e4, allow_nan=False))),
            person_found=draw(arrays(bool, rows)),
            kp2d=draw(arrays(float, (rows, len(JOINT_NAMES), 3), elements=values)),
            kp3d_mm=draw(arrays(float, (rows, len(JOINT_NAMES), 3), elements=values)),
            angles_deg={name: draw(arrays(float, rows, elements=values)) for name in ANGLE_NAMES},
        )

    return build()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=_tables())
def test_round_trip_of_any_finite_or_missing_values(table, tmp_path):
    path = tmp_path / "table.csv"
    write_csv(table, path)
    read = read_csv_export(path)
    np.testing.assert_array_equal(read.frame_indices, table.frame_indices)
    np.testing.assert_array_equal(read.person_found, table.person_found)
    assert_same_to(read.time_s, table.time_s, DECIMALS_S)
    assert_same_to(read.kp2d[..., :2], table.kp2d[..., :2], DECIMALS_PX)
    assert_same_to(read.kp2d[..., 2], table.kp2d[..., 2], DECIMALS_CONFIDENCE)
    assert_same_to(read.kp3d_mm, table.kp3d_mm, DECIMALS_MM)
    for name in ANGLE_NAMES:
        assert_same_to(read.angles_deg[name], table.angles_deg[name], DECIMALS_DEG)


def test_reading_something_else_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_csv_export(tmp_path / "missing.csv")
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an STSP Coach CSV export"):
        read_csv_export(other)
    short_row = tmp_path / "short.csv"
    short_row.write_text(",".join(csv_columns()) + "\n0,0.0,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an STSP Coach CSV export"):
        read_csv_export(short_row)


def test_an_analysis_without_3d_exports_empty_3d_and_projected_angles(analysed_clip, tmp_path):
    analysis = copy.deepcopy(analysed_clip("basketball_youth_drill.mp4"))
    for frame in analysis.frames:
        frame.kp3d_mm = None
    files = export_analysis(analysis, tmp_path, ["csv", "json", "mot"])
    read = read_csv_export(files["csv"])
    assert np.isnan(read.kp3d_mm).all() and read.person_found.any()
    projected = joint_angles_2d(analysis.kp2d_array())
    for name in ANGLE_NAMES:
        assert_same_to(read.angles_deg[name], projected.degrees[name], DECIMALS_DEG)
    assert json.loads(files["json"].read_text(encoding="utf-8"))["angles_from"] == "2d-projected"
    assert "projected angles" in files["mot"].read_text(encoding="utf-8")
