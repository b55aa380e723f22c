"""An analysis kept on disk as it is made: memory stays flat in the video's length, and an interrupted analysis
resumes from what was saved.

The folder (docs/formats.md, "Analysis folder"):
- ``meta.json``: the video (path, bytes, sha256), the stretch analysed, frame rate and size, the settings, and
  ``complete`` once the whole-clip steps (left/right repair, offline filter, 3D) have run;
- ``frames_NNNNNNNN.npz``: consecutive frames from frame NNNNNNNN as the 2D stage gave them, float32 columns
  (NaN where nobody was found), the people tracked, each frame's map onto the first frame's picture
  (``scene_from_image``, the camera's motion), and the 2D stage's state after the chunk's last frame;
- ``kp2d.npy``, ``kp2d_raw33.npy``, ``kp3d_mm.npy``: once complete, the whole clip's final columns (float32,
  read by range with a seek, so a stretch of a 90-minute match is read without loading the rest).

Chunks and columns are each written atomically, and ``meta.json`` says ``complete`` only after the columns are
all there: a crash or SIGKILL at any moment leaves a folder that resumes to the uninterrupted result.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from stsp_app.core.analysis import FrameResult, TrackedPerson, VideoAnalysis
from stsp_app.core.atomic_write import atomic_path, write_text_atomic
from stsp_app.core.skeleton import NUM_JOINTS
from stsp_app.errors import InputError

ANALYSIS_FOLDER = "analysis"  # the analysis folder's name beside keypoints.json (stsp-coach analyze, batch)
META_FILE = "meta.json"
FINAL_COLUMNS = {"kp2d": NUM_JOINTS, "kp2d_raw33": 33, "kp3d_mm": NUM_JOINTS}  # name -> joints per frame
CHUNK_GLOB = "frames_*.npz"


class AnalysisStore:
    """One analysis folder. Write with :meth:`create`, :meth:`append` and :meth:`complete`; read with
    :meth:`frames` (by range), :meth:`column` and :meth:`to_analysis` (or :func:`load_analysis`)."""

    def __init__(self, folder: str | Path, meta: dict[str, Any]) -> None:
        self.folder = Path(folder)
        self.meta = meta
        self._chunk_rows: list[tuple[int, int, Path]] | None = None  # (first row, rows, path), read lazily

    # -- opening ------------------------------------------------------------------------------------
    @classmethod
    def create(cls, folder: str | Path, meta: dict[str, Any]) -> AnalysisStore:
        """A new, empty analysis in ``folder`` (what an earlier one left there is removed)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / META_FILE).unlink(missing_ok=True)
        for stale in [*folder.glob(CHUNK_GLOB), *(folder / f"{name}.npy" for name in FINAL_COLUMNS)]:
            stale.unlink(missing_ok=True)
        store = cls(folder, {**meta, "complete": False})
        store._write_meta()
        return store

    @classmethod
    def open(cls, folder: str | Path) -> AnalysisStore | None:
        """The analysis in ``folder``, or None where there is none (or only an unreadable one)."""
        try:
            meta = json.loads((Path(folder) / META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return cls(folder, meta) if isinstance(meta, dict) else None

    def _write_meta(self) -> None:
        write_text_atomic(self.folder / META_FILE, json.dumps(self.meta, indent=1) + "\n")

    # -- writing ------------------------------------------------------------------------------------
    def moved_to(self, source: str) -> None:
        """Note where the analysed video is now (its content is what identifies it)."""
        if self.meta.get("source") != source:
            self.meta["source"] = source
            self._write_meta()

    def append(self, frames: list[FrameResult], stage_state: bytes) -> None:
        """Save the next consecutive frames and the 2D stage's state after the last of them."""
        if not frames:
            return
        people = [(row, person) for row, frame in enumerate(frames) for person in frame.people]
        path = self.folder / f"frames_{frames[0].index:08d}.npz"
        with atomic_path(path) as temporary, open(temporary, "wb") as handle:
            np.savez(
                handle,
                index=np.array([frame.index for frame in frames], dtype=np.int64),
                time_s=np.array([frame.time_s for frame in frames], dtype=np.float64),
                person_id=np.array([-1 if frame.person_id is None else frame.person_id for frame in frames],
                                   dtype=np.int64),
                kp2d=_column(frames, "kp2d", NUM_JOINTS),
                kp2d_raw33=_column(frames, "kp2d_raw33", 33),
                people_row=np.array([row for row, _ in people], dtype=np.int64),
                people_id=np.array([person.person_id for _, person in people], dtype=np.int64),
                people_box=np.array([person.box_xyxy_px for _, person in people], dtype=np.float32).reshape(-1, 4),
                scene_from_image=_column(frames, "scene_from_image", 2),
                stage_state=np.frombuffer(stage_state, dtype=np.uint8),
            )
        self._chunk_rows = None

    def complete(self, columns: dict[str, np.ndarray], settings_update: dict[str, Any]) -> None:
        """Save the whole clip's final columns (``FINAL_COLUMNS``, (T, J, 3)), then mark the analysis done."""
        for name, array in columns.items():
            with atomic_path(self.folder / f"{name}.npy") as temporary, open(temporary, "wb") as handle:
                np.save(handle, np.asarray(array, dtype=np.float32))
        self.meta["found_by_whole_clip_steps"] = settings_update  # kept apart: "settings" identifies the analysis
        self.meta["complete"] = True
        self._write_meta()

    # -- reading ------------------------------------------------------------------------------------
    @property
    def is_complete(self) -> bool:
        return bool(self.meta.get("complete"))

    def _chunks(self) -> list[tuple[int, int, Path]]:
        if self._chunk_rows is None:
            self._chunk_rows, first_row = [], 0
            for path in sorted(self.folder.glob(CHUNK_GLOB)):
                with np.load(path) as chunk:
                    rows = len(chunk["index"])
                self._chunk_rows.append((first_row, rows, path))
                first_row += rows
        return self._chunk_rows

    @property
    def frames_saved(self) -> int:
        chunks = self._chunks()
        return chunks[-1][0] + chunks[-1][1] if chunks else 0

    @property
    def next_frame_index(self) -> int:
        """The video frame the analysis continues from."""
        chunks = self._chunks()
        if not chunks:
            return int(self.meta["start_frame"])
        with np.load(chunks[-1][2]) as chunk:
            return int(chunk["index"][-1]) + 1

    def stage_state(self) -> bytes | None:
        """The 2D stage's state after the last saved frame (None before any)."""
        chunks = self._chunks()
        if not chunks:
            return None
        with np.load(chunks[-1][2]) as chunk:
            return chunk["stage_state"].tobytes()

    def column(self, name: str) -> np.ndarray:
        """(T, J, 3) float32 over the whole analysis as the 2D stage gave it (``kp2d``, ``kp2d_raw33``), from
        the chunks: what the whole-clip steps start from."""
        column = np.empty((self.frames_saved, FINAL_COLUMNS[name], 3), dtype=np.float32)  # filled in place
        for first_row, rows, path in self._chunks():
            with np.load(path) as chunk:
                column[first_row:first_row + rows] = chunk[name]
        return column

    def person_ids(self) -> np.ndarray:
        """(T,) the analysed person's id on each saved frame (-1 where nobody was found), from the chunks."""
        ids = np.empty(self.frames_saved, dtype=np.int64)
        for first_row, rows, path in self._chunks():
            with np.load(path) as chunk:
                ids[first_row:first_row + rows] = chunk["person_id"]
        return ids

    def scene_maps(self) -> np.ndarray | None:
        """(T, 2, 3) each frame's map onto the first frame's picture (the camera's motion, NaN where a frame has
        none), from the chunks; None where no frame has one."""
        maps = np.full((self.frames_saved, 2, 3), np.nan)
        for first_row, rows, path in self._chunks():
            with np.load(path) as chunk:
                if "scene_from_image" in chunk.files:
                    maps[first_row:first_row + rows] = chunk["scene_from_image"]
        return maps if np.isfinite(maps).any() else None

    def frames(self, start_row: int = 0, stop_row: int | None = None,
               columns: dict[str, np.ndarray] | None = None) -> Iterator[FrameResult]:
        """The analysed frames ``start_row`` to ``stop_row - 1`` (rows count analysed frames), read chunk by
        chunk; with the final columns once complete, or with ``columns`` (``FINAL_COLUMNS``, all rows) given."""
        stop_row = self.frames_saved if stop_row is None else min(stop_row, self.frames_saved)
        for first_row, rows, path in self._chunks():
            if first_row + rows <= start_row or first_row >= stop_row:
                continue
            with np.load(path) as chunk:
                data = {name: chunk[name] for name in chunk.files if name != "stage_state"}
            if columns is not None:
                chunk_columns = {name: columns[name][first_row:first_row + rows] for name in columns}
            elif self.is_complete:  # read from the file, not mapped: a match's columns never sit in memory whole
                chunk_columns = {name: _read_rows(self.folder / f"{name}.npy", first_row, first_row + rows)
                                 for name in FINAL_COLUMNS}
            else:
                chunk_columns = data
            people_at = {}
            for row, person_id, box in zip(data["people_row"], data["people_id"], data["people_box"]):
                people_at.setdefault(int(row), []).append((int(person_id), box))
            for row in range(max(0, start_row - first_row), min(rows, stop_row - first_row)):
                yield _frame_at(data, chunk_columns, row, people_at.get(row, []))

    def analysis_header(self) -> VideoAnalysis:
        """The analysis without its frames: what keypoints.json says before its frame list."""
        meta = self.meta
        header = VideoAnalysis(fps=float(meta["fps"]), width=int(meta["width"]), height=int(meta["height"]),
                               frame_count=int(meta["frame_count"]), source=meta["source"],
                               settings={**meta.get("settings", {}), **meta.get("found_by_whole_clip_steps", {})})
        header.note_stretch(int(meta["start_frame"]), int(meta["stop_frame"]))
        return header

    def to_analysis(self) -> VideoAnalysis:
        """The whole analysis in memory (a clip, not a match: every frame becomes an object)."""
        analysis = self.analysis_header()
        analysis.frames = list(self.frames())
        return analysis


def _read_rows(path: Path, start: int, stop: int) -> np.ndarray:
    """Rows ``start`` to ``stop - 1`` of an .npy file, read with a seek (the rest of the file is not touched)."""
    with open(path, "rb") as handle:
        version = np.lib.format.read_magic(handle)
        read_header = np.lib.format.read_array_header_1_0 if version[0] == 1 else np.lib.format.read_array_header_2_0
        shape, _, dtype = read_header(handle)
        row_items = int(np.prod(shape[1:]))
        handle.seek(start * row_items * dtype.itemsize, 1)
        values = np.fromfile(handle, dtype=dtype, count=(stop - start) * row_items)
    return values.reshape((stop - start, *shape[1:]))


def _column(frames: list[FrameResult], field_name: str, joints: int) -> np.ndarray:
    out = np.full((len(frames), joints, 3), np.nan, dtype=np.float32)
    for row, frame in enumerate(frames):
        value = getattr(frame, field_name)
        if value is not None:
            out[row] = value
    return out


def _present(values: np.ndarray) -> np.ndarray | None:
    return None if np.isnan(values).all() else values.astype(np.float64)


def _frame_at(data: dict[str, np.ndarray], columns: dict[str, np.ndarray], row: int,
              people: list[tuple[int, np.ndarray]]) -> FrameResult:
    person_id = int(data["person_id"][row])
    kp2d = _present(columns["kp2d"][row])
    return FrameResult(
        index=int(data["index"][row]),
        time_s=float(data["time_s"][row]),
        person_id=None if person_id < 0 else person_id,
        kp2d=kp2d,
        kp2d_raw33=_present(columns["kp2d_raw33"][row]),
        kp3d_mm=_present(columns["kp3d_mm"][row]) if "kp3d_mm" in columns else None,
        people=[TrackedPerson(pid, box.astype(np.float64), kp2d if pid == person_id else None)
                for pid, box in people],
        scene_from_image=_present(data["scene_from_image"][row]) if "scene_from_image" in data else None,
    )


def finished_analysis_store(path: str | Path) -> AnalysisStore | None:
    """The finished analysis in a folder (``DIR/analysis``, or ``DIR`` holding one), None when the folder holds
    no analysis; InputError when it holds one that is not finished."""
    path = Path(path)
    for folder in (path, path / ANALYSIS_FOLDER):
        store = AnalysisStore.open(folder) if folder.is_dir() else None
        if store is not None:
            if not store.is_complete:
                raise InputError(f"{folder}: the analysis there is not finished: run the same "
                                 "`stsp-coach analyze` again to finish it")
            return store
    return None


def load_analysis(path: str | Path) -> VideoAnalysis:
    """An analysis from a keypoints.json, or from an analysis folder (``DIR/analysis``, or ``DIR`` holding
    one), read from its columns rather than parsed from JSON. Raises InputError for anything else."""
    path = Path(path)
    if path.is_dir():
        store = finished_analysis_store(path)
        if store is None:
            raise InputError(f"{path}: a folder that holds no analysis (stsp-coach analyze --out writes one)")
        return store.to_analysis()
    return VideoAnalysis.load_json(path)
