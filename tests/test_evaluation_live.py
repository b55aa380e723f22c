"""``eval-drills --part live``: a clip played as a live camera against the same drill on the video file."""

from __future__ import annotations

from stsp_app.core.paths import shared_data_dir
from stsp_app.evaluation.live_validation import validate


def test_the_punt_played_live_gives_the_files_kick(blazepose_models):
    report = validate(shared_data_dir(), cases=(("rugby_kick.mp4", "kick"),))
    row = next(line for line in report.splitlines() if line.startswith("| rugby_kick.mp4"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    # contact and backswing of one kick (its rep in brackets), as from the file
    assert cells[2] == cells[3] == "2 (1)" and cells[4] == "2 of 2", row
    assert float(cells[5]) < 1.0, row  # the angles within a degree of the file's
    live_speed, file_speed = (float(value) for value in cells[6].split(" / "))
    assert abs(live_speed - file_speed) < 0.1, row
