"""Motion-capture importers: BVH, ASF/AMC, Kinect CSV and HumanEva npz to 17 joints in millimetres."""

from stsp_app.mocap.loading import iter_motions, load_motion
from stsp_app.mocap.motion import Motion

__all__ = ["Motion", "iter_motions", "load_motion"]
