"""eval-drills --part absent: which Kinder-Gator motion holds which drill's movement, and one real trial read."""

from pathlib import Path

import numpy as np
import pytest

from stsp_app.core.paths import shared_data_dir
from stsp_app.evaluation.absent_movement_validation import (
    HOLDS,
    OPEN,
    Reading,
    motion_name,
    movements_of,
    report,
    sampled_recordings,
    trial_readings,
)
from stsp_app.lifting.lifter import Lifter

KINDER_GATOR = shared_data_dir() / "eval/kinder-gator"


def test_motion_names_come_from_the_file_names():
    assert motion_name(Path("POSE-p103_05-Bow-1455370188098.csv")) == "Bow"
    assert motion_name(Path("POSE-p103_20-Throw-a-ball--1455370339049.csv")) == "Throw-a-ball-"
    with pytest.raises(ValueError, match="Kinder-Gator"):
        motion_name(Path("02_04.amc"))


def test_every_named_motion_is_in_the_shared_data():
    names = {motion_name(path) for path in KINDER_GATOR.glob("*/POSE-*.csv")}
    assert len(names) == 58
    for drill, motions in {**HOLDS, **{f"open {d}": m for d, m in OPEN.items()}}.items():
        assert set(motions) <= names, drill


def test_every_motion_is_sampled_with_half_its_participants():
    paths = sampled_recordings(KINDER_GATOR / "Children", 2)
    names = [motion_name(path) for path in paths]
    assert len(set(names)) == 58
    assert all(names.count(name) == 5 for name in set(names))  # 10 children each


def test_a_motion_holds_its_drill_and_no_other():
    assert movements_of("Throw-a-ball-as-far-as-you-can", "throw") == "holds"
    assert movements_of("Throw-a-ball-as-far-as-you-can", "kick") == "without"
    assert movements_of("Wave-your-hand", "throw") == "without"
    assert movements_of("Punch", "throw") == "open"
    assert movements_of("Walk-in-place", "run") == "open"
    assert movements_of("Jump-as-high-as-you-can", "vertical-jump") == "holds"
    assert movements_of("Bow", "squat") == "without"


def test_a_real_jump_is_read_and_tabled():
    path = sorted((KINDER_GATOR / "Children").glob("POSE-*-Jump-as-high-as-you-can-*.csv"))[0]
    readings = trial_readings(path, "Kinder-Gator children", Lifter(), np.random.default_rng(0))
    assert len(readings) == 3 * 3 * 6  # views × sources × drills
    jumps = [r for r in readings if r.drill == "vertical-jump" and r.source == "reference"]
    assert any(r.found for r in jumps)
    table = report(readings)
    assert "| vertical-jump | holds |" in table
    assert "| throw | without |" in table


def test_the_report_counts_readings_that_gave_numbers():
    readings = [Reading("Wave-your-hand", "g", view, "clean", "throw", found)
                for view, found in (("front", True), ("side", False))]
    table = report(readings)
    assert "| throw | without | — | 1 / 2 | — |" in table
    assert "- throw: Wave-your-hand 1/2" in table
