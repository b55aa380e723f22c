"""The common result of every motion-capture importer: a named 17-joint trajectory in millimetres."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stsp_app.core.skeleton import NUM_JOINTS
from stsp_app.errors import InputError

# Every importer returns joints in one world convention (docs/formats.md, "Motion-capture importers"):
# right-handed, +Y up, millimetres. The horizontal origin and heading are whatever the source used.
WORLD_CONVENTION = "right-handed, +Y up, millimetres"


@dataclass
class Motion:
    """One captured motion of one subject, mapped to the 17 Human3.6M joints (stsp_app.core.skeleton).

    ``joints_mm`` has shape (T, 17, 3), float32, in the world convention above. ``timestamps_s`` is kept
    for sources that record a time per frame (Kinect), as recorded, from 0; it is None where frames are
    evenly spaced at ``fps``. Kinder-Gator's stamps are the logger's clock, not the sensor's: they tick in
    15.6 ms steps and come in bursts (62 ms, then 0 ms) while the sensor delivers a steady ~30 fps, so they
    never decrease but may repeat; ``fps`` is (frames - 1) / duration.

    ``toes_mm`` (T, 2, 3: left, right), where the source tracks the feet beyond the ankles: the foot's
    front-most point it has, in the same convention (the toe tip for CMU's ASF and BVH rigs, the index toe's
    base for the iClone rig, the Kinect's foot joint, which sits mid-foot about 70 mm from the ankle). The
    jump drills read a video's feet from BlazePose's toe tips, so the validation films these as them.
    """

    name: str
    fps: float
    joints_mm: np.ndarray
    source_format: str
    subject: str
    timestamps_s: np.ndarray | None = None
    toes_mm: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.joints_mm = np.asarray(self.joints_mm, dtype=np.float32)
        if self.joints_mm.ndim != 3 or self.joints_mm.shape[1:] != (NUM_JOINTS, 3):
            raise InputError(
                f"{self.name}: expected joints of shape (frames, {NUM_JOINTS}, 3), got {self.joints_mm.shape}"
            )
        if self.joints_mm.shape[0] == 0:
            raise InputError(f"{self.name}: the motion has no frames")
        if not np.isfinite(self.joints_mm).all():
            raise InputError(f"{self.name}: the motion holds non-finite joint positions")
        if not (self.fps > 0 and np.isfinite(self.fps)):
            raise InputError(f"{self.name}: frame rate must be positive, got {self.fps}")
        if self.timestamps_s is not None:
            self.timestamps_s = np.asarray(self.timestamps_s, dtype=np.float64)
            if self.timestamps_s.shape != (self.joints_mm.shape[0],):
                raise InputError(
                    f"{self.name}: {self.timestamps_s.shape[0]} timestamps for {self.joints_mm.shape[0]} frames"
                )
        if self.toes_mm is not None:
            self.toes_mm = np.asarray(self.toes_mm, dtype=np.float32)
            if self.toes_mm.shape != (self.joints_mm.shape[0], 2, 3) or not np.isfinite(self.toes_mm).all():
                raise InputError(f"{self.name}: expected finite toes of shape ({self.joints_mm.shape[0]}, 2, 3), "
                                 f"got {self.toes_mm.shape}")

    @property
    def num_frames(self) -> int:
        return int(self.joints_mm.shape[0])
