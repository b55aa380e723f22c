"""The analysis folder: frames saved chunk by chunk, read back by range with the people tracked, the 2D stage's
state kept for resuming, the final columns once complete, and nothing half-written after a failed write."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stsp_app.core.analysis import FrameResult, TrackedPerson, VideoAnalysis, write_keypoints_json
from stsp_app.core.analysis_store import AnalysisStore, load_analysis
from stsp_app.errors import InputError

META = {"source": "match.mp4", "source_sha256": "ab" * 32, "fps": 25.0, "width": 1280, "height": 720,
        "frame_count": 1000, "start_frame": 100, "stop_frame": 130, "settings": {"model": "full"}}


def frames_from(start: int, count: int, rng: np.random.Generator) -> list[FrameResult]:
    frames = []
    for index in range(start, start + count):
        found = index % 7 != 0  # nobody on every 7th frame
        frames.append(FrameResult(
            index=index, time_s=index / 25.0, person_id=2 if found else None,
            kp2d=rng.uniform(0, 700, (17, 3)) if found else None,
            kp2d_raw33=rng.uniform(0, 700, (33, 3)) if found else None,
            people=[TrackedPerson(2, np.array([10.0, 20.0, 300.0, 600.0 + index])),
                    TrackedPerson(5, np.array([400.0, 20.0, 500.0, 300.0]))] if found else [],
            scene_from_image=np.array([[1.0, 0.0, 0.5 * index], [0.0, 1.0, -0.25 * index]]),
        ))
    return frames


def test_frames_come_back_by_range_with_the_people_and_the_state(tmp_path):
    rng = np.random.default_rng(1)
    written = frames_from(100, 30, rng)
    store = AnalysisStore.create(tmp_path / "analysis", META)
    store.append(written[:12], b"state after 111")
    store.append(written[12:], b"state after 129")
    store = AnalysisStore.open(tmp_path / "analysis")
    assert store.frames_saved == 30 and store.next_frame_index == 130 and not store.is_complete
    assert store.stage_state() == b"state after 129"
    read = list(store.frames(10, 15))
    assert [frame.index for frame in read] == [110, 111, 112, 113, 114]
    for mine, theirs in zip(read, written[10:15]):
        assert mine.person_id == theirs.person_id and mine.time_s == theirs.time_s
        np.testing.assert_allclose(mine.scene_from_image, theirs.scene_from_image)  # with or without a person
        if theirs.kp2d is None:
            assert mine.kp2d is None and mine.kp2d_raw33 is None
        else:
            np.testing.assert_allclose(mine.kp2d, theirs.kp2d, rtol=1e-6)  # float32 on disk
            np.testing.assert_allclose(mine.kp2d_raw33, theirs.kp2d_raw33, rtol=1e-6)
            assert [p.person_id for p in mine.people] == [2, 5]
            np.testing.assert_allclose(mine.people[0].box_xyxy_px, theirs.people[0].box_xyxy_px)
            assert mine.people[0].kp2d is mine.kp2d and mine.people[1].kp2d is None
        assert mine.kp3d_mm is None


def test_a_complete_analysis_reads_its_final_columns_and_writes_keypoints_json(tmp_path):
    written = frames_from(100, 30, np.random.default_rng(2))
    store = AnalysisStore.create(tmp_path / "analysis", META)
    store.append(written, b"")
    kp2d, raw33 = store.column("kp2d"), store.column("kp2d_raw33")
    kp3d = np.where(np.isnan(kp2d), np.nan, 5.0).astype(np.float32)
    kp2d[:, :, 0] += 1.0  # what the whole-clip steps changed
    store.complete({"kp2d": kp2d, "kp2d_raw33": raw33, "kp3d_mm": kp3d}, {"limb_swaps_repaired": {"leg": 3}})
    store = AnalysisStore.open(tmp_path / "analysis")
    assert store.is_complete and store.meta["settings"] == {"model": "full"}  # what identifies it stays apart
    analysis = store.to_analysis()
    assert analysis.settings == {"model": "full", "limb_swaps_repaired": {"leg": 3}, "frames_analysed": [100, 130]}
    assert analysis.frames[1].kp2d[0, 0] == pytest.approx(written[1].kp2d[0, 0] + 1.0, rel=1e-6)
    assert analysis.frames[1].kp3d_mm[0, 0] == 5.0 and analysis.frames[5].kp3d_mm is None  # frame 105: nobody
    assert type(analysis.frames[1].kp2d) is np.ndarray

    streamed = tmp_path / "streamed.json"
    write_keypoints_json(streamed, store.analysis_header(), store.frames())
    whole = tmp_path / "whole.json"
    analysis.save_json(whole)
    assert streamed.read_bytes() == whole.read_bytes()
    assert len(VideoAnalysis.load_json(streamed).frames) == 30


def test_creating_again_forgets_the_earlier_analysis_and_a_damaged_meta_is_no_analysis(tmp_path):
    store = AnalysisStore.create(tmp_path, META)
    store.append(frames_from(100, 5, np.random.default_rng(3)), b"x")
    store = AnalysisStore.create(tmp_path, {**META, "start_frame": 0})
    assert store.frames_saved == 0 and store.stage_state() is None and store.next_frame_index == 0
    (tmp_path / "meta.json").write_text("{ half written")
    assert AnalysisStore.open(tmp_path) is None
    assert AnalysisStore.open(tmp_path / "nothing here") is None
    assert json.loads(json.dumps(META))  # the meta is plain JSON


def test_a_write_that_fails_leaves_the_saved_chunks_whole(tmp_path, monkeypatch):
    store = AnalysisStore.create(tmp_path, META)
    store.append(frames_from(100, 5, np.random.default_rng(4)), b"first")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", full_disk)
    with pytest.raises(OSError):
        store.append(frames_from(105, 5, np.random.default_rng(5)), b"second")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["frames_00000100.npz", "meta.json"]
    assert AnalysisStore.open(tmp_path).stage_state() == b"first"


def test_the_drill_and_export_commands_read_an_analysis_folder_as_they_read_keypoints_json(tmp_path):
    folder = tmp_path / "out" / "analysis"
    store = AnalysisStore.create(folder, META)
    store.append(frames_from(100, 30, np.random.default_rng(6)), b"")
    with pytest.raises(InputError, match="not finished"):
        load_analysis(tmp_path / "out")
    kp2d, raw33 = store.column("kp2d"), store.column("kp2d_raw33")
    store.complete({"kp2d": kp2d, "kp2d_raw33": raw33, "kp3d_mm": np.full_like(kp2d, np.nan)}, {})
    write_keypoints_json(tmp_path / "out" / "keypoints.json", store.analysis_header(), store.frames())
    from_json = VideoAnalysis.load_json(tmp_path / "out" / "keypoints.json")
    for path in (folder, tmp_path / "out"):
        from_columns = load_analysis(path)
        assert [f.index for f in from_columns.frames] == [f.index for f in from_json.frames]
        assert all((a.kp2d is None and b.kp2d is None) or np.allclose(a.kp2d, b.kp2d, atol=1e-3)
                   for a, b in zip(from_columns.frames, from_json.frames))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="holds no analysis"):
        load_analysis(empty)
