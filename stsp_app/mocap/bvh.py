"""BVH files: a generic parser (HIERARCHY + MOTION) and the forward kinematics of its joint tree.

Any joint may list its channels in any order; rotation channels are composed in the listed order
(``forward_kinematics.euler_matrices``), position channels are added to the joint's OFFSET. An ``End Site``
becomes a joint named ``<parent>_End`` without channels. Which rig a file uses, and how it maps to the 17
joints, is in ``bvh_rigs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stsp_app.errors import InputError
from stsp_app.mocap.forward_kinematics import euler_matrices, world_positions

_POSITION_CHANNELS = {"Xposition": 0, "Yposition": 1, "Zposition": 2}
_ROTATION_CHANNELS = {"Xrotation": "X", "Yrotation": "Y", "Zrotation": "Z"}


@dataclass
class BvhFile:
    """A parsed BVH file, lengths in the file's own unit.

    ``joint_names``, ``parents`` (root first, parents before children), ``offsets`` (J, 3), ``channels``
    (per joint, the channel names in file order) and ``values`` (T, total channels) in file order.
    """

    path: Path
    joint_names: list[str]
    parents: list[int]
    offsets: np.ndarray
    channels: list[list[str]]
    frame_time_s: float
    values: np.ndarray

    @property
    def num_frames(self) -> int:
        return int(self.values.shape[0])

    def joint_positions(self) -> np.ndarray:
        """World positions (T, J, 3) of every joint (End Sites included), in the file's unit and axes."""
        num_frames, num_joints = self.num_frames, len(self.joint_names)
        local_rotations = np.empty((num_frames, num_joints, 3, 3))
        local_offsets = np.broadcast_to(self.offsets, (num_frames, num_joints, 3)).copy()
        column = 0
        for joint, joint_channels in enumerate(self.channels):
            rotation_axes = ""
            rotation_columns = []
            for channel in joint_channels:
                if channel in _POSITION_CHANNELS:
                    local_offsets[:, joint, _POSITION_CHANNELS[channel]] += self.values[:, column]
                else:
                    rotation_axes += _ROTATION_CHANNELS[channel]
                    rotation_columns.append(column)
                column += 1
            local_rotations[:, joint] = euler_matrices(self.values[:, rotation_columns], rotation_axes)
        positions, _ = world_positions(self.parents, local_offsets, local_rotations, local_offsets[:, 0])
        return positions


def read_bvh(path: str | Path) -> BvhFile:
    """Parse a BVH file; any structural problem raises InputError naming the file and what is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise InputError(f"BVH file not found: {path}") from None
    except OSError as error:
        raise InputError(f"cannot read BVH file {path}: {error.strerror}") from None
    head, separator, motion = text.partition("MOTION")
    if not separator:
        raise InputError(f"{path.name}: not a BVH file (no MOTION section)")
    tokens = head.split()
    if not tokens or tokens[0] != "HIERARCHY":
        raise InputError(f"{path.name}: not a BVH file (it does not start with HIERARCHY)")
    names, parents, offsets, channels = _parse_hierarchy(path, tokens[1:])
    frame_time_s, values = _parse_motion(path, motion, sum(len(c) for c in channels))
    return BvhFile(path, names, parents, np.array(offsets, dtype=np.float64), channels, frame_time_s, values)


def _parse_hierarchy(path: Path, tokens: list[str]):
    names: list[str] = []
    parents: list[int] = []
    offsets: list[list[float]] = []
    channels: list[list[str]] = []
    stack: list[int] = []
    position = 0

    def take() -> str:
        nonlocal position
        if position >= len(tokens):
            raise InputError(f"{path.name}: the HIERARCHY section ends too early")
        position += 1
        return tokens[position - 1]

    def expect(word: str) -> None:
        found = take()
        if found != word:
            raise InputError(f"{path.name}: expected {word!r} in HIERARCHY, found {found!r}")

    def take_floats(count: int) -> list[float]:
        words = [take() for _ in range(count)]
        try:
            return [float(word) for word in words]
        except ValueError:
            raise InputError(f"{path.name}: expected {count} numbers in HIERARCHY, found {words}") from None

    while position < len(tokens):
        keyword = take()
        if keyword in ("ROOT", "JOINT", "End"):
            if keyword == "ROOT" and (stack or names):
                raise InputError(f"{path.name}: only one ROOT is supported")
            if keyword != "ROOT" and not stack:
                raise InputError(f"{path.name}: {keyword} outside the ROOT joint")
            if keyword == "End":
                expect("Site")
                name = f"{names[stack[-1]]}_End"
            else:
                name = take()
            expect("{")
            expect("OFFSET")
            offset = take_floats(3)
            joint_channels: list[str] = []
            if keyword != "End":
                expect("CHANNELS")
                try:
                    count = int(take())
                except ValueError:
                    raise InputError(f"{path.name}: CHANNELS of {name} lacks its count") from None
                joint_channels = [take() for _ in range(count)]
                known = _POSITION_CHANNELS.keys() | _ROTATION_CHANNELS.keys()
                unknown = [channel for channel in joint_channels if channel not in known]
                if unknown:
                    raise InputError(f"{path.name}: unknown channel(s) {unknown} on joint {name}")
            names.append(name)
            parents.append(stack[-1] if stack else -1)
            offsets.append(offset)
            channels.append(joint_channels)
            stack.append(len(names) - 1)
        elif keyword == "}":
            if not stack:
                raise InputError(f"{path.name}: unbalanced '}}' in HIERARCHY")
            stack.pop()
        else:
            raise InputError(f"{path.name}: unexpected {keyword!r} in HIERARCHY")
    if stack or not names:
        raise InputError(f"{path.name}: the HIERARCHY section is incomplete")
    if len(set(names)) != len(names):
        raise InputError(f"{path.name}: joint names repeat in HIERARCHY")
    return names, parents, offsets, channels


def _parse_motion(path: Path, motion: str, num_channels: int) -> tuple[float, np.ndarray]:
    lines = motion.strip().splitlines()
    if len(lines) < 2 or not lines[0].startswith("Frames:") or not lines[1].startswith("Frame Time:"):
        raise InputError(f"{path.name}: MOTION must start with 'Frames:' and 'Frame Time:' lines")
    try:
        num_frames = int(lines[0].split(":", 1)[1])
        frame_time_s = float(lines[1].split(":", 1)[1])
    except ValueError:
        raise InputError(f"{path.name}: unreadable 'Frames:' or 'Frame Time:' line") from None
    if num_frames <= 0 or frame_time_s <= 0:
        raise InputError(f"{path.name}: the file declares {num_frames} frames of {frame_time_s} s")
    try:
        numbers = np.array(" ".join(lines[2:]).split(), dtype=np.float64)
    except ValueError:
        raise InputError(f"{path.name}: the MOTION section holds something that is not a number") from None
    expected = num_frames * num_channels
    if numbers.size != expected:
        found_frames = numbers.size / num_channels if num_channels else 0
        raise InputError(
            f"{path.name}: truncated or malformed MOTION data: {num_frames} frames of {num_channels} channels "
            f"declared, {numbers.size} numbers found ({found_frames:.1f} frames)"
        )
    return frame_time_s, numbers.reshape(num_frames, num_channels)
