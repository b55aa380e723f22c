"""The pipeline's two paths: live (causal 3D per frame) and offline (whole clip, cancellable)."""

from __future__ import annotations

import numpy as np
import pytest

from stsp_app.core.video_source import VideoSource
from stsp_app.pipeline import Pipeline, analyse_video
from tests.conftest import BASKETBALL_CLIP


def test_live_pipeline_gives_3d_frame_by_frame():
    video = VideoSource(BASKETBALL_CLIP)
    pipeline = Pipeline(live=True, fps=video.fps)
    assert pipeline.has_3d and pipeline.device_name in ("CPU", "CUDA GPU")
    results = [pipeline.process_frame(video.read(i), i, video.time_of(i)) for i in range(40)]
    with_3d = [r for r in results if r.kp3d_mm is not None]
    assert len(with_3d) >= 30
    assert all(r.kp2d is not None for r in with_3d)
    assert all(np.isfinite(r.kp3d_mm).all() and r.kp3d_mm.shape == (17, 3) for r in with_3d)


def test_offline_analysis_can_be_cancelled_and_keeps_what_it_did():
    done = []
    analysis = analyse_video(BASKETBALL_CLIP, on_progress=lambda i, n: done.append(i), should_cancel=lambda: len(done) >= 25)
    assert len(analysis.frames) == 25 and analysis.frame_count == 300
    assert any(f.kp3d_mm is not None for f in analysis.frames)


def test_offline_butterworth_smooths_the_whole_clips_2d_and_is_refused_live(blazepose_models):
    from stsp_app.epe.config import EPEConfig
    from stsp_app.kinematics.smoothness import jitter_trace

    def jitter_px(filter_name: str) -> float:
        video = VideoSource(BASKETBALL_CLIP)
        pipeline = Pipeline(epe_config=EPEConfig(temporal_filter=filter_name), fps=video.fps)
        analysis = analyse_video(video, pipeline)
        return float(np.nanmedian(jitter_trace(analysis.kp2d_array()[:, :, :2])))

    assert jitter_px("butterworth") < 0.6 * jitter_px("none")
    with pytest.raises(ValueError, match="whole clip"):
        Pipeline(epe_config=EPEConfig(temporal_filter="butterworth"), live=True)


def test_video_files_get_the_zero_lag_filter_and_the_live_view_the_causal_one(blazepose_models):
    from stsp_app.epe.trajectory_filter import FILE_FILTER, LIVE_FILTER, OFFLINE_FILTERS

    assert FILE_FILTER in OFFLINE_FILTERS and LIVE_FILTER not in OFFLINE_FILTERS
    assert Pipeline(fps=30.0).epe.config.temporal_filter == FILE_FILTER
    assert Pipeline(live=True, fps=30.0).epe.config.temporal_filter == LIVE_FILTER


def test_the_smoothing_strength_sets_the_whole_clip_filters_cut_off(blazepose_models):
    """Strength 1 is the 6 Hz filter, 2 twice as smooth, 0 leaves the 2D as found."""
    from stsp_app.epe.config import EPEConfig

    rows = 150
    rng = np.random.default_rng(3)
    kp2d = np.zeros((rows, 17, 3))
    kp2d[..., :2] = 300.0 + np.linspace(0.0, 60.0, rows)[:, None, None] + rng.normal(0.0, 3.0, (rows, 17, 2))
    kp2d[..., 2] = 1.0
    raw33 = np.full((rows, 33, 3), np.nan)

    def jitter_px(strength: float) -> float:
        filtered = kp2d.copy()
        pipeline = Pipeline(fps=30.0, epe_config=EPEConfig(smoothing=strength), limb_side_repair=False)
        pipeline.finish_clip(filtered, raw33.copy(), 30.0)
        return float(np.abs(np.diff(filtered[..., :2], n=2, axis=0)).mean())

    unfiltered, default, smoother = jitter_px(0.0), jitter_px(1.0), jitter_px(2.0)
    assert unfiltered == pytest.approx(float(np.abs(np.diff(kp2d[..., :2], n=2, axis=0)).mean()))
    assert default < 0.3 * unfiltered
    assert smoother < 0.5 * default


def test_the_whole_clip_steps_never_mix_two_people(blazepose_models):
    """The 2D stage followed one child, then (once she left) a coach elsewhere in the picture: the zero-lag
    filter and the lifter take each alone, so the child's last frames are not pulled towards the coach."""
    from stsp_app.epe.config import EPEConfig
    child, coach = 60, 60
    rng = np.random.default_rng(5)
    body = rng.uniform(-40.0, 40.0, (17, 2))
    kp2d = np.ones((child + coach, 17, 3))
    kp2d[:child, :, :2] = 300.0 + body
    kp2d[child:, :, :2] = 900.0 + 2.0 * body
    ids = np.array([1] * child + [2] * coach)
    raw33 = np.full((child + coach, 33, 3), np.nan)
    pipeline = Pipeline(fps=30.0, epe_config=EPEConfig(), limb_side_repair=False)
    separate = kp2d.copy()
    pipeline.finish_clip(separate, raw33.copy(), 30.0, person_ids=ids)
    np.testing.assert_allclose(separate, kp2d, atol=1e-6)  # each person stood still: nothing to smooth
    mixed = kp2d.copy()
    pipeline.finish_clip(mixed, raw33.copy(), 30.0)
    assert np.abs(mixed[child - 1, :, 0] - kp2d[child - 1, :, 0]).max() > 50.0  # one clip: the filter rings across


def test_a_phone_pitched_down_reads_its_pitch_and_the_trunk_stands_as_before(tmp_path, blazepose_models):
    """The squat clip's first 12 s as the same phone pitched 15 degrees further down films them (eval-drills
    --part pitched makes such copies): the pitch is read from the gym's upright lines (to the 2-3.5 degrees such a
    narrow cluttered picture allows, docs/RESULTS.md "A phone pitched down"), and the 3D, turned by the ray to the
    athlete and that pitch, stands as in the clip as filmed (turned the wrong way, the trunk would lean by twice
    the pitch)."""
    from stsp_app.core.analysis import CAMERA_PITCH_SETTING
    from stsp_app.evaluation.pitched_validation import write_pitched
    from stsp_app.kinematics.joint_angles import joint_angles_3d
    from tests.conftest import VIDEO_DIR, write_clip_start

    source = write_clip_start(tmp_path / "squat.mp4", 360, VIDEO_DIR / "squat_side.mp4")
    readings, live_leans, live_pitches = {}, {}, {}
    for pitch_deg in (0.0, 15.0):
        copy = tmp_path / f"pitched{pitch_deg:+.0f}.mp4"
        write_pitched(source, copy, pitch_deg)
        analysis = analyse_video(copy)
        lean = np.nanmedian(joint_angles_3d(analysis.kp3d_array()).degrees["trunk_lean"])
        readings[pitch_deg] = (analysis.settings[CAMERA_PITCH_SETTING], lean)
        # live: the pitch is read from the first seconds (here, of the pitched copy only), and the 3D stands
        # upright from then on
        video = VideoSource(copy)
        live = Pipeline(live=True, fps=video.fps)
        poses = [live.process_frame(frame, index, time_s).kp3d_mm for index, time_s, frame in video.frames(0, 240)]
        live_pitches[pitch_deg] = live.epe.verticals.pitch_deg()
        after = np.array([pose for pose in poses[180:] if pose is not None])
        live_leans[pitch_deg] = np.nanmedian(joint_angles_3d(after).degrees["trunk_lean"])
    (level_pitch, level_lean), (pitched, pitched_lean) = readings[0.0], readings[15.0]
    assert level_pitch is not None and abs(pitched - (level_pitch + 15.0)) < 4.0
    assert abs(pitched_lean - level_lean) < 3.0
    assert live_pitches[15.0] is not None and abs(live_leans[15.0] - live_leans[0.0]) < 4.0
