"""A new session from the app: what the coach asked for, and the work done on the worker thread.

The worker thread opens its own connection to the records (a store is used from one thread) and runs
:class:`~stsp_app.records.SessionWorkflow` with the analysis in a child process, so the interface keeps
answering; the child's height is the analysis's stature. A recording from the camera goes into the child's
folder, which is deleted with the child.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from stsp_app.core.analysis_cache import AnalysisCache
from stsp_app.records import AddedSession, Child, RecordStore, SessionWorkflow
from stsp_app.records.data_folder import RECORDINGS_FOLDER


@dataclass(frozen=True)
class NewSessionRequest:
    """A session to add: whose, which video, which drill (a name of ``DRILL_NAMES``), notes, when filmed
    (None: now), and for a slow-motion video the rate it was filmed at (None: it plays as filmed)."""

    child_id: int
    video_path: Path
    drill: str
    coach_notes: str = ""
    recorded_at: datetime | None = None
    capture_fps: float | None = None


def add_session(database_path: Path, request: NewSessionRequest, *, analysis_cache: AnalysisCache | None,
                device: str, on_progress: Callable[[int, int], None],
                should_cancel: Callable[[], bool]) -> AddedSession:
    """Analyse the video (unless it was before, with the same settings), run the drill and store the session.
    Raises ``SessionCancelled`` when cancelled and ``InputError`` for a video that cannot be used."""
    with RecordStore(database_path) as store:
        child = store.get_child(request.child_id)
        workflow = SessionWorkflow(store, analysis_cache, device, separate_process=True)
        return workflow.add_session(child, request.video_path, request.drill, coach_notes=request.coach_notes,
                                    recorded_at=request.recorded_at, capture_fps=request.capture_fps,
                                    on_progress=on_progress,
                                    should_cancel=should_cancel)


def recording_path(store: RecordStore, child_id: int, now: datetime | None = None) -> Path:
    """Where a camera recording for the child goes: in their folder (deleted with them), named by the time."""
    now = now or datetime.now()
    return store.child_folder(child_id) / RECORDINGS_FOLDER / now.strftime("camera-%Y%m%d-%H%M%S.mp4")


def height_sentence(child: Child) -> str:
    """What the child's height does to the new session's analysis, in one sentence."""
    if child.height_cm is None:
        return (f"{child.display_name}'s height is not recorded: the 3D skeleton gets typical proportions "
                "(add the height to the profile for metric sizes). The angles do not depend on it.")
    return (f"Analysed with {child.display_name}'s height, {child.height_cm:g} cm: it sets the size of the 3D "
            "skeleton, not the angles.")
