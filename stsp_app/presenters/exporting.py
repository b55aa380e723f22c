"""File → Export…: the analysis on screen in the chosen formats, and pictures of the drill's key moments with
faces blurred unless the coach's setting says otherwise.

Everything that can fail is checked, and every picture rendered, before the first file is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from stsp_app.core.analysis import VideoAnalysis
from stsp_app.core.atomic_write import ensure_writable_folder
from stsp_app.errors import InputError
from stsp_app.exports import EXPORT_FORMATS, default_stem, export_analysis
from stsp_app.exports.pictures import (PICTURE_NAME, analysed_frame, key_frames, open_video_of, render_frame,
                                       save_picture)
from stsp_app.records import RecordStore, Session
from stsp_app.records.data_folder import EXPORTS_FOLDER


@dataclass(frozen=True)
class ExportRequest:
    folder: Path
    formats: Sequence[str]
    key_frame_pictures: bool
    blur_faces: bool


def session_exports_folder(store: RecordStore, session: Session) -> Path:
    """The session's exports folder in the records (deleted with the session and with the child)."""
    return store.session_folder(session) / EXPORTS_FOLDER


def export_shown_analysis(analysis: VideoAnalysis, video_path: Path | None, drill_result: Mapping[str, Any] | None,
                          request: ExportRequest) -> list[Path]:
    """Write the chosen formats (the drill result goes into the JSON) and the key-frame pictures; returns the
    files written, in order."""
    unknown = [name for name in request.formats if name not in EXPORT_FORMATS]
    if unknown:
        raise InputError(f"unknown export formats {', '.join(unknown)}")
    if not request.formats and not request.key_frame_pictures:
        raise InputError("choose at least one format or the pictures")
    stem = default_stem(analysis)
    pictures = _key_frame_pictures(analysis, video_path, drill_result, request.blur_faces) \
        if request.key_frame_pictures else []
    ensure_writable_folder(request.folder)
    written = list(export_analysis(analysis, request.folder, list(request.formats), stem=stem,
                                   drill_result=drill_result).values()) if request.formats else []
    for (index, label), image in pictures:
        path = request.folder / PICTURE_NAME.format(stem=stem, index=index, label=f"_{label}")
        save_picture(path, image)
        written.append(path)
    return written


def _key_frame_pictures(analysis: VideoAnalysis, video_path: Path | None,
                        drill_result: Mapping[str, Any] | None, blur_faces: bool) -> list:
    """((frame, label), BGR picture) of each of the drill's moments."""
    if drill_result is None:
        raise InputError("pictures of the key moments need a drill's result: run a drill first")
    moments = key_frames(drill_result)
    if not moments:
        raise InputError("the drill's result marks no moment to picture")
    if video_path is None or not Path(video_path).is_file():
        raise InputError(f"the analysed video {video_path or '(none)'} is not there: no pictures can be made")
    with open_video_of(analysis, video_path) as video:
        return [((index, label), render_frame(video.read(index), analysed_frame(analysis, index),
                                              blur_faces=blur_faces))
                for index, label in moments]
