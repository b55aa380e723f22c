"""The analysis against BlazePose's own detect-then-track loop: which of the loop's frames show the analysed
person, and on a real clip's variant the analysis keeps them with the loop's keypoints."""

import numpy as np

from stsp_app.core.paths import shared_data_dir
from stsp_app.evaluation.tracking_agreement import agreement_row, compare_clip_variant


def standing_person(x_px: float, rows: int = 10) -> np.ndarray:
    pose = np.zeros((17, 3))
    pose[:, 0] = x_px + np.linspace(-20.0, 20.0, 17)
    pose[:, 1] = np.linspace(100.0, 300.0, 17)
    pose[:, 2] = 1.0
    return np.repeat(pose[None], rows, axis=0)


def test_frames_of_a_track_on_someone_else_are_not_counted_against_the_analysis():
    child, adult = standing_person(200.0), standing_person(600.0)
    ours = child.copy()
    ours[6:] = np.nan  # the child leaves the picture after frame 5
    # the plain loop follows the child (track 1), loses them, then re-detects the adult (track 2)
    plain = [child[row] for row in range(6)] + [None, adult[7], adult[8], adult[9]]
    row = agreement_row("clip", "as filmed", plain, [1] * 7 + [2] * 3, ours)
    assert (row.plain_found, row.both_found, row.plain_elsewhere) == (6, 6, 3)
    assert row.found_share == 1.0 and row.median_gap_px == 0.0


def test_a_drop_while_the_loop_keeps_the_person_counts():
    child = standing_person(200.0)
    ours = child + np.array([1.0, 0.0, 0.0])
    ours[4:7] = np.nan
    row = agreement_row("clip", "as filmed", list(child), [1] * 10, ours)
    assert (row.plain_found, row.both_found, row.plain_elsewhere) == (10, 7, 0)
    assert row.median_gap_px == 1.0


def test_the_mirrored_youth_clip_keeps_the_player_on_the_loops_keypoints(blazepose_models):
    row = compare_clip_variant(shared_data_dir() / "video/basketball_youth_drill.mp4", "mirrored", max_frames=90)
    assert row.plain_found >= 80
    assert row.found_share >= 0.9
    assert row.median_gap_px <= 3.0
