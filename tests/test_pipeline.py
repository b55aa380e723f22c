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
