"""Settings of the EPE stage, with the defaults the measurements in docs/RESULTS.md support."""

from __future__ import annotations

from dataclasses import dataclass, field

from stsp_app.blazepose.fetch import LANDMARK_VARIANTS
from stsp_app.blazepose.runtime import DEVICES
from stsp_app.epe.motion_saliency import MotionWeighting
from stsp_app.epe.trajectory_filter import FILE_FILTER

# The choices the command line, the app's settings and the analysis all offer: one list each.
MODEL_VARIANTS = LANDMARK_VARIANTS  # the landmark network's sizes
DECODERS = ("soft-argmax", "mediapipe", "regression")


@dataclass
class EPEConfig:
    model: str = "full"
    device: str = "auto"               # "auto", "cpu" or "cuda"
    threads: int = 2                   # ONNX Runtime intra-op threads
    person_id: int | None = None       # None: the largest, most central person
    # Or the person whose body box in a frame overlaps this one: (frame index, (x0, y0, x1, y1) px). Ids depend
    # on whom the run follows, so a person chosen from another run's result is named by place, not by id.
    person_at: tuple[int, tuple[float, float, float, float]] | None = None
    decoder: str = "soft-argmax"       # Eq. 7 soft-argmax, MediaPipe's 7x7 refinement, or the bare regression
    # "ltc" (Eq. 8), "one-euro", "butterworth" (offline: the whole clip's 2D at the end) or "none"; a live
    # camera takes trajectory_filter.LIVE_FILTER
    temporal_filter: str = FILE_FILTER
    smoothing: float = 1.0             # strength of the temporal filter (1 = default)
    motion: MotionWeighting = field(default_factory=MotionWeighting)
    # W_t on the heatmaps before decoding: measured no effect (docs/RESULTS.md), so off unless asked for.
    motion_heatmaps: bool = False
    motion_roi: bool = True            # shift the ROI along the motion
    motion_filter: bool = True         # W_t sets the filter's strength per joint
    detection_interval_frames: int = 30  # detector also runs this often to follow other people
    # … and then also on the image's quarters, to find people too small for the whole image's 224x224 input.
    # Off unless asked for: the quarters, enlarged, also give false people (docs/PERFORMANCE.md). Whatever this
    # says, the quarters are searched once an interval while nobody is followed and the whole image shows nobody.
    detection_tiles: bool = False
    # Follow the camera's own motion on the background (a phone held by hand), so that the drills read the feet
    # against the ground rather than against the picture's frame (epe.camera_motion). A live camera stands still.
    camera_motion: bool = True
    # Read how far the phone was turned about its axis from the background's upright lines, and level the 3D and
    # the drills' picture by it (epe.camera_roll): a video from the whole clip, a live view from its first seconds.
    camera_roll: bool = True

    @property
    def uses_flow(self) -> bool:
        return self.motion_heatmaps or self.motion_roi or self.motion_filter

    def validate(self) -> None:
        if self.model not in MODEL_VARIANTS:
            raise ValueError(f"unknown model {self.model!r}; choose one of {', '.join(MODEL_VARIANTS)}")
        if self.device not in DEVICES:
            raise ValueError(f"unknown device {self.device!r}; choose one of {', '.join(DEVICES)}")
        if self.decoder not in DECODERS:
            raise ValueError(f"unknown decoder {self.decoder!r}; choose one of {', '.join(DECODERS)}")
        if self.person_id is not None and self.person_at is not None:
            raise ValueError("choose the person by id or by place, not both")
