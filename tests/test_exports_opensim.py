"""TRC and MOT exports parse back as OpenSim's file adapters read them, with the analysis's numbers.

The parsers below follow OpenSim's TRCFileAdapter and DelimFileAdapter (opensim-core, OpenSim/Common): fields
are tab-separated, an empty field between two tabs is kept and a final empty one is not; a TRC marker with an
empty field is missing (NaN); every TRC row must have 2 + 3 x NumMarkers fields; MOT values are read as
numbers ("NaN" included) after the line ``endheader``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stsp_app.core.skeleton import JOINT_INDEX, JOINT_NAMES
from stsp_app.exports import export_analysis
from stsp_app.kinematics.joint_angles import ANGLE_NAMES
from stsp_app.kinematics.motion_series import motion_series

CLIP = "basketball_youth_drill.mp4"


def opensim_fields(line: str) -> list[str]:
    fields = line.rstrip("\r\n").split("\t")
    return fields[:-1] if fields and fields[-1] == "" else fields


def read_trc(path: Path) -> dict:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t")[:3] == ["PathFileType", "4", "(X/Y/Z)"]
    keys = [key for key in opensim_fields(lines[1]) if key]
    values = [value for value in opensim_fields(lines[2]) if value]
    metadata = dict(zip(keys, values))
    labels = [label for label in opensim_fields(lines[3]) if label]
    xyz_labels = [label for label in opensim_fields(lines[4]) if label]
    rows = [opensim_fields(line) for line in lines[5:] if line.strip()]
    markers = len(labels) - 2
    assert all(len(row) == 2 + 3 * markers for row in rows), "a row of the wrong length stops OpenSim's reader"
    values = np.array([[float(v) if v else np.nan for v in row[2:]] for row in rows]).reshape(len(rows), markers, 3)
    return {"header": lines[0], "keys": keys, "metadata": metadata, "labels": labels, "xyz_labels": xyz_labels,
            "frame_numbers": [int(row[0]) for row in rows], "time_s": np.array([float(row[1]) for row in rows]),
            "markers_mm": values}


def read_mot(path: Path) -> dict:
    lines = path.read_text(encoding="utf-8").splitlines()
    end = lines.index("endheader")
    header = dict(line.split("=", 1) for line in lines[1:end] if "=" in line)
    columns = opensim_fields(lines[end + 1])
    data = np.array([[float(v) for v in opensim_fields(line)] for line in lines[end + 2:] if line.strip()])
    return {"name": lines[0], "header": header, "columns": columns, "data": data}


@pytest.fixture(scope="module")
def exported(analysed_clip, tmp_path_factory):
    analysis = analysed_clip(CLIP)
    files = export_analysis(analysis, tmp_path_factory.mktemp("opensim"), ["trc", "mot"])
    return analysis, files


def test_trc_header_markers_and_opensim_axes(exported):
    analysis, files = exported
    trc = read_trc(files["trc"])
    assert trc["header"].endswith("basketball_youth_drill.trc")
    assert trc["keys"] == ["DataRate", "CameraRate", "NumFrames", "NumMarkers", "Units", "OrigDataRate",
                           "OrigDataStartFrame", "OrigNumFrames"]
    meta = trc["metadata"]
    assert float(meta["DataRate"]) == pytest.approx(analysis.fps, rel=1e-5)
    assert float(meta["CameraRate"]) == float(meta["OrigDataRate"]) == float(meta["DataRate"])
    assert int(meta["NumFrames"]) == len(analysis.frames) == 300
    assert int(meta["NumMarkers"]) == 17 and meta["Units"] == "mm"
    assert int(meta["OrigDataStartFrame"]) == 1 and int(meta["OrigNumFrames"]) == analysis.frame_count
    assert trc["labels"] == ["Frame#", "Time", *JOINT_NAMES]
    assert trc["xyz_labels"] == [f"{axis}{i}" for i in range(1, 18) for axis in "XYZ"]
    assert trc["frame_numbers"] == [frame.index + 1 for frame in analysis.frames]
    np.testing.assert_allclose(trc["time_s"], [frame.time_s for frame in analysis.frames], atol=5e-7)

    camera = analysis.kp3d_array()  # x right, y down, z away
    opensim = np.stack([camera[..., 0], -camera[..., 1], -camera[..., 2]], axis=-1)  # X right, Y up, Z to camera
    markers = trc["markers_mm"]
    np.testing.assert_array_equal(np.isnan(markers), np.isnan(opensim))
    found = ~np.isnan(opensim).any(axis=(1, 2))
    assert 200 < found.sum() < 300  # the frames without the player are empty, as OpenSim expects
    np.testing.assert_allclose(markers[found], opensim[found], atol=0.005 + 1e-9)
    head_up = markers[found, JOINT_INDEX["head"], 1] > markers[found, JOINT_INDEX["pelvis"], 1]
    assert head_up.mean() > 0.9  # Y is up


def test_mot_header_columns_and_angles(exported):
    analysis, files = exported
    mot = read_mot(files["mot"])
    series = motion_series(analysis.frames)
    assert mot["name"] == "Coordinates"
    assert mot["header"]["version"] == "1" and mot["header"]["inDegrees"] == "yes"
    assert int(mot["header"]["nRows"]) == len(mot["data"]) == 300
    assert int(mot["header"]["nColumns"]) == len(mot["columns"]) == 1 + len(ANGLE_NAMES)
    assert mot["columns"] == ["time", *ANGLE_NAMES]
    np.testing.assert_allclose(mot["data"][:, 0], series.time_s, atol=5e-7)
    for column, name in enumerate(ANGLE_NAMES, start=1):
        expected = series.angles.degrees[name]
        np.testing.assert_array_equal(np.isnan(mot["data"][:, column]), np.isnan(expected))
        np.testing.assert_allclose(mot["data"][:, column], expected, atol=5e-4 + 1e-9)
    assert np.isnan(mot["data"][:, 1:]).all(axis=1).sum() > 0  # frames without the player: NaN, not 0
