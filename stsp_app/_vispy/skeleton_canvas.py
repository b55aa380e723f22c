"""The 3D skeleton view: a vispy SceneCanvas with a floor grid, the 17-joint skeleton and optional trails.

Poses arrive in the pipeline's camera axes (x right, y down, z away from the camera, millimetres, pelvis at
the origin). The scene uses z up, so a camera point (x, y, z) is drawn at (x, z, -y): the floor is the
horizontal plane under the feet and the default view looks at the child from the camera's side.
"""

from __future__ import annotations

import numpy as np
from vispy import scene

from stsp_app.core.drawing_style import SIDE_COLOURS_RGB, bone_colour_rgb
from stsp_app.core.skeleton import BONES, JOINT_INDEX, NUM_JOINTS, bone_side

BACKGROUND_RGB = (0.11, 0.12, 0.14)
GRID_RGBA = (0.45, 0.47, 0.52, 1.0)
GRID_HALF_SIZE_MM = 2000.0
GRID_STEP_MM = 250.0
# Pelvis height above the floor for a pose whose feet cannot be seen (about a 10-year-old's).
DEFAULT_PELVIS_HEIGHT_MM = 750.0
# Feet stand a little below the ankle joints.
ANKLE_HEIGHT_MM = 70.0
TRAIL_RGBA = (1.0, 0.85, 0.25, 0.9)

# Viewpoints: the starting one (a little from the side and above), and the three a coach compares with. The
# scene's -y side is the video camera's: "front" looks as the video does, "side" at right angles to it (a squat
# filmed from the front is seen side-on), "top" from above.
VIEWS: dict[str, dict[str, float]] = {
    "start": {"elevation": 15.0, "azimuth": -30.0},
    "front": {"elevation": 0.0, "azimuth": 0.0},
    "side": {"elevation": 0.0, "azimuth": -90.0},
    "top": {"elevation": 90.0, "azimuth": 0.0},
}
FOV_DEG = 40.0
# The body fills this share of the view's height (and no more of its width); the rest is margin.
FILL_SHARE = 0.8
# Head above the pelvis for a pose sequence without a head (about a 10-year-old's).
DEFAULT_HEAD_HEIGHT_MM = 600.0
LABEL_OFFSET_MM = 120.0  # "L" / "R" float this far outside each foot


def camera_to_scene(points_mm: np.ndarray) -> np.ndarray:
    """Camera axes (x right, y down, z away) to scene axes (z up): (x, y, z) -> (x, z, -y)."""
    points_mm = np.asarray(points_mm, dtype=np.float32)
    return np.stack([points_mm[..., 0], points_mm[..., 2], -points_mm[..., 1]], axis=-1)


class SkeletonCanvas:
    """A 3D view of one pose; orbit with the left mouse button, zoom with the wheel, pan with shift+drag."""

    def __init__(self) -> None:
        # A canvas of its own, never put in a layout: the Qt side shows it through OffscreenCanvasView.
        self.canvas = scene.SceneCanvas(keys=None, bgcolor=BACKGROUND_RGB, show=False, app="pyside6",
                                        size=(480, 360))
        self.view = self.canvas.central_widget.add_view()
        self.view.camera = scene.cameras.TurntableCamera(fov=FOV_DEG, **VIEWS["start"])
        self._pelvis_height_mm = DEFAULT_PELVIS_HEIGHT_MM
        self._head_height_mm = DEFAULT_HEAD_HEIGHT_MM
        self.view_name = "start"
        self._floor = scene.visuals.Line(pos=self._grid_vertices(), color=GRID_RGBA, connect="segments",
                                         parent=self.view.scene, antialias=True)
        self._bones = scene.visuals.Line(pos=np.zeros((2, 3), np.float32), connect="segments", width=4.0,
                                         parent=self.view.scene, antialias=True)
        self._joints = scene.visuals.Markers(parent=self.view.scene)
        self._trail = scene.visuals.Line(pos=np.zeros((2, 3), np.float32), connect="segments", width=2.0,
                                         color=TRAIL_RGBA, parent=self.view.scene, antialias=True)
        # The child's own left and right, named at the feet: colours alone do not say which is which.
        self._side_labels = {side: scene.visuals.Text(side[0].upper(), color=(*SIDE_COLOURS_RGB[side], 1.0),
                                                      font_size=14, bold=True, parent=self.view.scene)
                             for side in ("left", "right")}
        self._bone_colours = np.array([(*bone_colour_rgb(p, c), 1.0) for p, c in BONES for _ in (0, 1)],
                                      dtype=np.float32)
        self._joint_colours = np.array([(*SIDE_COLOURS_RGB[bone_side(0, j)], 1.0) for j in range(NUM_JOINTS)],
                                       dtype=np.float32)
        self.reset_view()
        self.set_pose(None)

    def _grid_vertices(self) -> np.ndarray:
        ticks = np.arange(-GRID_HALF_SIZE_MM, GRID_HALF_SIZE_MM + 1.0, GRID_STEP_MM, dtype=np.float32)
        floor_z = -self._pelvis_height_mm
        lines = []
        for tick in ticks:
            lines += [(tick, -GRID_HALF_SIZE_MM, floor_z), (tick, GRID_HALF_SIZE_MM, floor_z)]
            lines += [(-GRID_HALF_SIZE_MM, tick, floor_z), (GRID_HALF_SIZE_MM, tick, floor_z)]
        return np.array(lines, dtype=np.float32)

    def set_floor_from_poses(self, kp3d_mm: np.ndarray) -> None:
        """Put the floor under the feet of a pose sequence (T, 17, 3) in camera axes (NaN rows are ignored),
        and frame the body in the view."""
        poses = np.asarray(kp3d_mm, dtype=np.float64)
        ankles_y = poses[..., [JOINT_INDEX["left_ankle"], JOINT_INDEX["right_ankle"]], 1]
        finite = ankles_y[np.isfinite(ankles_y)]
        # High percentiles: the standing height, not a single jump or a glitch.
        self._pelvis_height_mm = (float(np.percentile(finite, 90)) + ANKLE_HEIGHT_MM if finite.size
                                  else DEFAULT_PELVIS_HEIGHT_MM)
        head_up = -poses[..., JOINT_INDEX["head"], 1]
        head_up = head_up[np.isfinite(head_up)]
        self._head_height_mm = float(np.percentile(head_up, 90)) if head_up.size else DEFAULT_HEAD_HEIGHT_MM
        self._floor.set_data(pos=self._grid_vertices())
        self.show_view(self.view_name)

    def set_pose(self, kp3d_mm: np.ndarray | None, trail_mm: np.ndarray | None = None) -> None:
        """Show one pose (17, 3) in camera axes, or nothing for None.

        ``trail_mm`` (N, J, 3) holds the recent positions of the joints that leave a trail, oldest first.
        """
        if kp3d_mm is None or not np.all(np.isfinite(kp3d_mm)):
            self._bones.visible = False
            self._joints.visible = False
        else:
            points = camera_to_scene(kp3d_mm)
            segments = np.array([points[i] for bone in BONES for i in bone], dtype=np.float32)
            self._bones.set_data(pos=segments, color=self._bone_colours)
            self._joints.set_data(points, face_color=self._joint_colours, edge_color=(0.05, 0.05, 0.05, 1.0),
                                  size=9.0)
            self._bones.visible = True
            self._joints.visible = True
            for side, label in self._side_labels.items():
                foot = points[JOINT_INDEX[f"{side}_ankle"]]
                outward = foot[:2] - points[JOINT_INDEX["pelvis"], :2]
                outward = outward / max(float(np.linalg.norm(outward)), 1.0) * LABEL_OFFSET_MM
                label.pos = (foot[0] + outward[0], foot[1] + outward[1], foot[2])
        for label in self._side_labels.values():
            label.visible = self._bones.visible
        self._set_trail(trail_mm)
        self.canvas.update()

    def _set_trail(self, trail_mm: np.ndarray | None) -> None:
        if trail_mm is None or len(trail_mm) < 2:
            self._trail.visible = False
            return
        points = camera_to_scene(trail_mm)  # (N, J, 3)
        segments = np.stack([points[:-1], points[1:]], axis=2).transpose(1, 0, 2, 3).reshape(-1, 3)
        keep = np.all(np.isfinite(segments.reshape(-1, 2, 3)), axis=(1, 2))
        segments = segments.reshape(-1, 2, 3)[keep].reshape(-1, 3)
        if len(segments) < 2:
            self._trail.visible = False
            return
        self._trail.set_data(pos=segments)
        self._trail.visible = True

    def reset_view(self) -> None:
        self.show_view("start")

    def show_view(self, name: str) -> None:
        """Look from one of VIEWS, with the whole body (floor to head) filling the view."""
        camera = self.view.camera
        for key, value in VIEWS[name].items():
            setattr(camera, key, value)
        self.view_name = name
        floor_z, head_z = -self._pelvis_height_mm, self._head_height_mm
        body_mm = head_z - floor_z
        # Seen from above the body is about as wide as a stride; from the front or side, as tall as it stands.
        extent_mm = 0.6 * body_mm if name == "top" else body_mm
        camera.center = (0.0, 0.0, 0.0 if name == "top" else (floor_z + head_z) / 2.0)
        camera.distance = (extent_mm / FILL_SHARE) / 2.0 / np.tan(np.radians(FOV_DEG) / 2.0)
        self.canvas.update()
