"""Acclaim ASF skeletons and AMC motions (the CMU motion-capture database's native format).

ASF: ``:units`` (``length L``: a file length of v is v / L inches, CMU uses L = 0.45; ``angle deg|rad``),
``:root`` (``order`` of the root's AMC values, ``axis`` = the root's rotation order, ``position``,
``orientation``), ``:bonedata`` (per bone: ``direction`` in the world rest frame, ``length``,
``axis ax ay az ORDER`` = the bone's local frame C, ``dof``) and ``:hierarchy``. AMC: a frame number line,
then one ``bone values...`` line per moving bone, values in ``dof`` order.

Forward kinematics (the convention of CMU's own viewer): an Euler order "XYZ" rotates about X first, then Y,
then Z, about fixed axes, i.e. the matrix Rz @ Ry @ Rx; a bone's dof values are applied in their listed
order the same way. A bone's world rotation is ``M = M_parent @ C @ R_amc @ C^-1`` and its end point is
``end_parent + M @ (length * direction)``; the root's is ``C_root @ R_root @ C_root^-1`` with ``C_root``
from ``orientation``, and it sits at ``position`` + the AMC translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from stsp_app.errors import InputError
from stsp_app.mocap.forward_kinematics import euler_matrices, world_positions
from stsp_app.mocap.joint_maps import JointMap, apply_joint_map, source_joints
from stsp_app.mocap.motion import Motion

MM_PER_INCH = 25.4
# AMC files carry no frame rate; every CMU trial in the shared data was captured at 120 fps (trials.csv).
CMU_AMC_FPS = 120.0

# CMU's ASF skeleton (docs/formats.md): a bone name stands for the bone's END point, "root" for the root.
CMU_ASF_JOINT_MAP: JointMap = {
    "pelvis": ("root",),
    "right_hip": ("rhipjoint",),
    "right_knee": ("rfemur",),
    "right_ankle": ("rtibia",),
    "left_hip": ("lhipjoint",),
    "left_knee": ("lfemur",),
    "left_ankle": ("ltibia",),
    "spine": ("upperback",),
    "thorax": ("lowerneck",),
    "head": ("head",),
    "left_shoulder": ("lclavicle",),
    "left_elbow": ("lhumerus",),
    "left_wrist": ("lradius",),
    "right_shoulder": ("rclavicle",),
    "right_elbow": ("rhumerus",),
    "right_wrist": ("rradius",),
}
TOE_BONES = ("ltoes", "rtoes")  # their ends are the toe tips (Motion.toes_mm)
_ROTATION_DOFS = {"rx": "X", "ry": "Y", "rz": "Z"}
_TRANSLATION_DOFS = {"tx": 0, "ty": 1, "tz": 2}


@dataclass
class AsfBone:
    name: str
    direction: np.ndarray
    length: float
    axis_deg: np.ndarray
    axis_order: str
    dofs: list[str] = field(default_factory=list)


@dataclass
class AsfSkeleton:
    """A parsed ASF file; lengths in the file's unit (``mm_per_unit`` converts), angles in degrees."""

    path: Path
    mm_per_unit: float
    root_order: list[str]
    root_axis_order: str
    root_position: np.ndarray
    root_orientation_deg: np.ndarray
    bones: dict[str, AsfBone]
    children: dict[str, list[str]]
    angles_in_radians: bool

    def ordered_bones(self) -> list[tuple[str, str]]:
        """(bone, parent) pairs, parents first, starting below the root."""
        ordered: list[tuple[str, str]] = []
        pending = [("root", child) for child in self.children.get("root", [])]
        while pending:
            parent, bone = pending.pop(0)
            if len(ordered) > len(self.bones):
                raise InputError(f"{self.path.name}: the :hierarchy section loops")
            ordered.append((bone, parent))
            pending.extend((bone, child) for child in self.children.get(bone, []))
        return ordered


@dataclass
class AmcMotion:
    """A parsed AMC file: per bone, its values (T, number of dofs) in file units."""

    path: Path
    values: dict[str, np.ndarray]

    @property
    def num_frames(self) -> int:
        return int(self.values["root"].shape[0])


def _reversed_euler(angles_deg: np.ndarray, order: str) -> np.ndarray:
    """Matrices for Acclaim Euler angles: ``angles_deg[..., i]`` about ``order[i]``, order[0] applied first."""
    return euler_matrices(np.asarray(angles_deg)[..., ::-1], order[::-1])


def read_asf(path: str | Path) -> AsfSkeleton:
    """Parse an ASF skeleton; anything unreadable raises InputError naming the file."""
    path = Path(path)
    lines = _read_lines(path, "ASF")
    sections: dict[str, list[list[str]]] = {}
    current = None
    for line in lines:
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0].startswith(":"):
            current = words[0][1:].lower()
            sections[current] = [words[1:]] if len(words) > 1 else []
        elif current is not None:
            sections[current].append(words)
    for needed in ("root", "bonedata", "hierarchy"):
        if needed not in sections:
            raise InputError(f"{path.name}: not an ASF skeleton (no :{needed} section)")
    units = {words[0]: words[1] for words in sections.get("units", []) if len(words) >= 2}
    try:
        length_scale = float(units.get("length", "1.0"))
    except ValueError:
        raise InputError(f"{path.name}: unreadable length unit {units['length']!r}") from None
    if length_scale <= 0:
        raise InputError(f"{path.name}: the length unit must be positive")
    angles_in_radians = units.get("angle", "deg").lower().startswith("rad")
    to_deg = np.rad2deg if angles_in_radians else (lambda values: values)

    root = {words[0].lower(): words[1:] for words in sections["root"] if words}
    try:
        root_order = [word.lower() for word in root["order"]]
        root_axis_order = root.get("axis", ["XYZ"])[0].upper()
        root_position = np.array(root.get("position", [0, 0, 0]), dtype=np.float64)
        root_orientation = to_deg(np.array(root.get("orientation", [0, 0, 0]), dtype=np.float64))
        if root_position.shape != (3,) or root_orientation.shape != (3,):
            raise ValueError("three values each")
    except (KeyError, ValueError):
        raise InputError(
            f"{path.name}: the :root section lacks a readable order/position/orientation"
        ) from None

    bones: dict[str, AsfBone] = {}
    block: dict[str, list[str]] | None = None
    for words in sections["bonedata"]:
        keyword = words[0].lower()
        if keyword == "begin":
            block = {}
        elif keyword == "end":
            if block is None:
                raise InputError(f"{path.name}: 'end' without 'begin' in :bonedata")
            bone = _make_bone(path, block, to_deg)
            bones[bone.name] = bone
            block = None
        elif block is not None and keyword in ("name", "direction", "length", "axis", "dof"):
            block[keyword] = words[1:]

    children: dict[str, list[str]] = {}
    for words in sections["hierarchy"]:
        if words[0].lower() in ("begin", "end"):
            continue
        unknown = [name for name in words if name != "root" and name not in bones]
        if unknown:
            raise InputError(f"{path.name}: :hierarchy names bones that :bonedata lacks: {unknown}")
        children.setdefault(words[0], []).extend(words[1:])
    return AsfSkeleton(
        path, MM_PER_INCH / length_scale, root_order, root_axis_order, root_position, root_orientation, bones,
        children, angles_in_radians,
    )


def _make_bone(path: Path, block: dict[str, list[str]], to_deg) -> AsfBone:
    try:
        name = block["name"][0]
        direction = np.array(block["direction"][:3], dtype=np.float64)
        length = float(block["length"][0])
        axis = block["axis"]
        axis_deg = to_deg(np.array(axis[:3], dtype=np.float64))
        axis_order = axis[3].upper() if len(axis) > 3 else "XYZ"
        if direction.shape != (3,) or axis_deg.shape != (3,):
            raise ValueError("three values each")
    except (KeyError, IndexError, ValueError):
        raise InputError(
            f"{path.name}: a bone in :bonedata lacks a readable name/direction/length/axis"
        ) from None
    dofs = [dof.lower() for dof in block.get("dof", [])]
    unsupported = [dof for dof in dofs if dof not in _ROTATION_DOFS]
    if unsupported:
        raise InputError(
            f"{path.name}: bone {name} has degrees of freedom this importer does not handle: {unsupported}"
        )
    if sorted(axis_order) != ["X", "Y", "Z"]:
        raise InputError(f"{path.name}: bone {name} has an unreadable axis order {axis_order!r}")
    norm = np.linalg.norm(direction)
    if norm == 0:
        raise InputError(f"{path.name}: bone {name} has a zero direction")
    return AsfBone(name, direction / norm, length, axis_deg, axis_order, dofs)


def read_amc(path: str | Path, skeleton: AsfSkeleton) -> AmcMotion:
    """Parse an AMC motion of ``skeleton``; every frame must give every moving bone its dof values."""
    path = Path(path)
    lines = _read_lines(path, "AMC")
    expected = {"root": len(skeleton.root_order)}
    expected.update({name: len(bone.dofs) for name, bone in skeleton.bones.items() if bone.dofs})
    frames: list[dict[str, list[float]]] = []
    for number, line in enumerate(lines, start=1):
        words = line.split()
        if not words or words[0].startswith(("#", ":")):
            continue
        if len(words) == 1 and words[0].isdigit():
            frames.append({})
            continue
        if not frames:
            raise InputError(f"{path.name}, line {number}: motion data before the first frame number")
        bone = words[0]
        if bone not in expected:
            raise InputError(
                f"{path.name}, line {number}: bone {bone!r} is not a moving bone of {skeleton.path.name}"
            )
        try:
            values = [float(word) for word in words[1:]]
        except ValueError:
            raise InputError(f"{path.name}, line {number}: unreadable number") from None
        if len(values) != expected[bone]:
            raise InputError(
                f"{path.name}, line {number}: {bone} has {len(values)} values, expected {expected[bone]}"
            )
        frames[-1][bone] = values
    if not frames:
        raise InputError(f"{path.name}: the AMC file holds no frames")
    if not frames[-1]:
        frames.pop()
    arrays: dict[str, np.ndarray] = {}
    for bone, count in expected.items():
        missing = [index for index, frame in enumerate(frames, start=1) if bone not in frame]
        if missing:
            raise InputError(
                f"{path.name}: frame {missing[0]} lacks bone {bone!r} (truncated or malformed AMC)"
            )
        arrays[bone] = np.array([frame[bone] for frame in frames], dtype=np.float64).reshape(len(frames), count)
    return AmcMotion(path, arrays)


def bone_end_positions(skeleton: AsfSkeleton, motion: AmcMotion) -> dict[str, np.ndarray]:
    """World positions (T, 3), in millimetres and the ASF's axes, of the root and of every bone's end."""
    to_deg = np.rad2deg if skeleton.angles_in_radians else (lambda values: values)
    ordered = skeleton.ordered_bones()
    names = ["root"] + [bone for bone, _ in ordered]
    index = {name: i for i, name in enumerate(names)}
    parents = [-1] + [index[parent] for _, parent in ordered]
    num_frames = motion.num_frames

    root_values = motion.values["root"]
    translation = skeleton.root_position.copy() + np.zeros((num_frames, 3))
    root_angles = np.zeros((num_frames, 3))
    for column, channel in enumerate(skeleton.root_order):
        if channel in _TRANSLATION_DOFS:
            translation[:, _TRANSLATION_DOFS[channel]] += root_values[:, column]
        elif channel in _ROTATION_DOFS:
            root_angles[:, "XYZ".index(_ROTATION_DOFS[channel])] = to_deg(root_values[:, column])
        else:
            raise InputError(f"{skeleton.path.name}: unknown root channel {channel!r}")
    axis_order = skeleton.root_axis_order
    by_order = root_angles[:, ["XYZ".index(axis) for axis in axis_order]]
    root_frame = _reversed_euler(skeleton.root_orientation_deg, axis_order)

    local_rotations = np.empty((num_frames, len(names), 3, 3))
    offsets = np.zeros((len(names), 3))
    local_rotations[:, 0] = root_frame @ _reversed_euler(by_order, axis_order) @ root_frame.T
    for bone_name, _ in ordered:
        bone = skeleton.bones[bone_name]
        j = index[bone_name]
        offsets[j] = bone.direction * bone.length
        frame = _reversed_euler(bone.axis_deg, bone.axis_order)
        if bone.dofs:
            axes = "".join(_ROTATION_DOFS[dof] for dof in bone.dofs)
            amc_rotation = _reversed_euler(to_deg(motion.values[bone_name]), axes)
        else:
            amc_rotation = np.eye(3)
        local_rotations[:, j] = frame @ amc_rotation @ frame.T
    positions, _ = world_positions(parents, offsets, local_rotations, translation, offsets_in_own_frame=True)
    positions *= skeleton.mm_per_unit
    return {name: positions[:, i] for i, name in enumerate(names)}


def find_asf_for(amc_path: Path) -> Path:
    """The subject's skeleton beside an AMC file: ``<subject>.asf`` for ``<subject>_<trial>.amc``, else the
    only .asf in the folder."""
    subject = amc_path.stem.split("_")[0]
    named = amc_path.with_name(f"{subject}.asf")
    if named.is_file():
        return named
    candidates = sorted(amc_path.parent.glob("*.asf"))
    if len(candidates) == 1:
        return candidates[0]
    raise InputError(
        f"{amc_path.name}: cannot tell which ASF skeleton it belongs to (looked for {named.name}, found "
        f"{len(candidates)} .asf files beside it); pass asf_path"
    )


def load_amc_motion(
    amc_path: str | Path, asf_path: str | Path | None = None, fps: float = CMU_AMC_FPS
) -> Motion:
    """An AMC motion with its ASF skeleton (found beside it when ``asf_path`` is None) as a 17-joint Motion.

    CMU's ASF frame is already right-handed with +Y up; only lengths are converted (to millimetres).
    """
    return load_amc_motion_and_bone_ends(amc_path, asf_path, fps)[0]


def load_amc_motion_and_bone_ends(
    amc_path: str | Path, asf_path: str | Path | None = None, fps: float = CMU_AMC_FPS
) -> tuple[Motion, dict[str, np.ndarray]]:
    """:func:`load_amc_motion`, with every bone's end per frame (:func:`bone_end_positions`) for readers that need
    points the 17 joints leave out (the feet's)."""
    amc_path = Path(amc_path)
    if not amc_path.is_file():
        raise InputError(f"AMC file not found: {amc_path}")
    skeleton = read_asf(Path(asf_path) if asf_path is not None else find_asf_for(amc_path))
    missing = sorted(source_joints(CMU_ASF_JOINT_MAP) - set(skeleton.bones) - {"root"})
    if missing:
        raise InputError(
            f"{skeleton.path.name}: not a CMU-style skeleton, it lacks bones {', '.join(missing)}"
        )
    ends = bone_end_positions(skeleton, read_amc(amc_path, skeleton))
    joints_mm = apply_joint_map(CMU_ASF_JOINT_MAP, ends.__getitem__)
    toes_mm = np.stack([ends[bone] for bone in TOE_BONES], axis=1) if set(TOE_BONES) <= set(ends) else None
    motion = Motion(
        name=amc_path.stem, fps=fps, joints_mm=joints_mm, source_format="asf-amc", subject=skeleton.path.stem,
        toes_mm=toes_mm,
    )
    return motion, ends


def _read_lines(path: Path, kind: str) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        raise InputError(f"{kind} file not found: {path}") from None
    except OSError as error:
        raise InputError(f"cannot read {kind} file {path}: {error.strerror}") from None
