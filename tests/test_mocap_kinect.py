"""Kinder-Gator Kinect v1 CSV importer on real children's and adults' trials, and on broken files."""

import numpy as np
import pytest
from mocap_checks import DATA, assert_sane, foot_length_mm, head_to_ankles_mm, joint

from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.errors import InputError
from stsp_app.mocap import load_motion
from stsp_app.mocap.nose import place_nose

KINDER_GATOR = DATA / "eval/kinder-gator"
# Motion 01 ("Raise your hand"): the child stands upright facing the sensor.
CHILDREN = ["p595_01", "p474_01", "p644_01", "p723_01"]  # ages 5, 6, 9, 8 (README.txt)


def child_trial(prefix: str):
    return next((KINDER_GATOR / "Children").glob(f"POSE-{prefix}-*.csv"))


@pytest.mark.parametrize("prefix", CHILDREN)
def test_children_load_with_plausible_stature(prefix):
    motion = load_motion(child_trial(prefix))
    assert_sane(motion)
    assert motion.source_format == "kinect-v1-csv"
    assert motion.subject == prefix[1:4]
    assert 28.0 < motion.fps < 33.0
    assert motion.timestamps_s[0] == 0.0 and np.all(np.diff(motion.timestamps_s) > 0)
    # Kinect's Head joint is the head's centre: stature is about 15 cm more than head-to-ankles
    # (ankle height plus head centre to crown).
    stature_mm = np.median(head_to_ankles_mm(motion)) + 150.0
    assert 1000 < stature_mm < 1500
    assert 40 < np.median(foot_length_mm(motion)) < 110  # the Kinect's foot joint sits mid-foot


def test_child_faces_the_sensor_with_left_on_the_left():
    motion = load_motion(child_trial("p103_01"))
    left = joint(motion, "left_hip") - joint(motion, "right_hip")
    forward = np.cross(left, [0.0, 1.0, 0.0])
    # The child faces the sensor, i.e. -Z in the Kinect camera frame.
    assert np.median(forward[:, 2] / np.linalg.norm(forward, axis=1)) < -0.9


def test_adult_trial_loads():
    path = next((KINDER_GATOR / "Adults").glob("POSE-p934_*.csv"))
    motion = load_motion(path)
    assert_sane(motion)
    assert motion.subject == "934"
    assert 1350 < np.percentile(head_to_ankles_mm(motion), 90) + 150.0 < 2000


def test_synthesised_joints_follow_the_written_map():
    motion = load_motion(child_trial("p103_01"))
    j = motion.joints_mm
    np.testing.assert_allclose(
        j[:, JOINT_INDEX["spine"]], (j[:, JOINT_INDEX["pelvis"]] + j[:, JOINT_INDEX["thorax"]]) / 2, atol=1e-3
    )
    np.testing.assert_allclose(j[:, JOINT_INDEX["neck_nose"]], place_nose(j), atol=1e-2)


def test_broken_csv_files_are_input_errors(tmp_path):
    real = child_trial("p103_01").read_text().splitlines()
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InputError, match="empty"):
        load_motion(tmp_path / "empty.csv")
    (tmp_path / "header_only.csv").write_text(real[0] + "\n")
    with pytest.raises(InputError, match="holds 0 frame"):
        load_motion(tmp_path / "header_only.csv")
    header = real[0].split(",")
    dropped = [i for i, name in enumerate(header) if name.startswith("KneeLeft")]
    keep = lambda line: ",".join(v for i, v in enumerate(line.split(",")) if i not in dropped)  # noqa: E731
    (tmp_path / "no_left_knee.csv").write_text("\n".join(keep(line) for line in real[:10]))
    with pytest.raises(InputError, match="lacks the column\\(s\\) KneeLeftX, KneeLeftY, KneeLeftZ"):
        load_motion(tmp_path / "no_left_knee.csv")
    (tmp_path / "short_row.csv").write_text("\n".join(real[:5] + [real[5][: len(real[5]) // 2]]))
    with pytest.raises(InputError, match="missing or non-numeric"):
        load_motion(tmp_path / "short_row.csv")
