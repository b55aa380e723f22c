"""What shapes an analysis's result, as one typed object: the app's settings, a session's, the stretch of the
video to analyse. With the video's content hash it makes the analysis's cache key, so the app's analysis and
a session's analysis of the same video with the same settings are one cache entry."""

from __future__ import annotations

from dataclasses import dataclass

from stsp_app.core.analysis_cache import analysis_key
from stsp_app.core.trunk_joints import TRUNK_FRACTIONS
from stsp_app.epe.camera_roll import LEVELLING_METHOD
from stsp_app.epe.config import EPEConfig
from stsp_app.epe.trajectory_filter import FILE_FILTER
from stsp_app.kinematics.limb_sides import REPAIR_METHOD as LIMB_SIDES_METHOD
from stsp_app.lifting.model_files import shipped_models_version


@dataclass(frozen=True)
class AnalysisSettings:
    model: str = "full"  # the landmark network's size (epe.config.MODEL_VARIANTS)
    smoothing: float = 1.0  # the filter's strength: 6 Hz ÷ smoothing for a video file (0: none)
    small_people: bool = False  # also look for people too small for the whole picture (EPEConfig.detection_tiles)
    stature_mm: float | None = None  # the child's height: the 3D's scale (None: the lifter's own)
    stretch: tuple[int, int] | None = None  # the first frame and the frame after the last (None: whole video)
    capture_fps: float | None = None  # a slow-motion video's filming rate (None: it plays as filmed; VideoSource)

    def epe_config(self, device: str, person_at: tuple | None = None) -> EPEConfig:
        """The 2D stage's configuration for a video file (``person_at``: frame and body box of the person to
        follow, None for the most prominent)."""
        return EPEConfig(model=self.model, device=device, smoothing=self.smoothing, person_at=person_at,
                         detection_tiles=self.small_people)

    def cache_key(self, video_sha256: str, person_at: tuple | None = None) -> str:
        """The key of this video's analysis with these settings: it also names the file filter, where the trunk
        joints are placed, the lifting models' version, how the phone's turn is read and how left and right are
        kept apart, so an analysis made by an earlier method is made again."""
        fields: dict[str, object] = {
            "model": self.model, "smoothing": self.smoothing, "temporal_filter": FILE_FILTER,
            "small_people": self.small_people, "stature_mm": self.stature_mm, "person_at": person_at,
            "trunk_fractions": TRUNK_FRACTIONS, "lifting_models": shipped_models_version(),
            "levelling": LEVELLING_METHOD, "limb_sides": LIMB_SIDES_METHOD,
        }
        if self.stretch is not None:
            fields["stretch"] = list(self.stretch)
        if self.capture_fps is not None:
            fields["capture_fps"] = self.capture_fps
        return analysis_key(video_sha256, fields)
