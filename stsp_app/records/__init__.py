"""Each child's records: profiles and sessions in an embedded SQLite database in the per-user data folder.

Entry point: :class:`RecordStore` (``RecordStore()`` opens the records in the per-user data folder, creating
or migrating them; ``RecordStore(path)`` another database file). It adds, edits, finds and deletes children
(:class:`Child`) and their sessions (:class:`Session`); deleting removes the rows and the files the app made
for them. :class:`SessionWorkflow` adds a session from a video: it analyses the video with the child's height
(or reuses an analysis of the same video), runs the drill and stores the session.

Modules: ``data_folder`` (where the database and each child's files live), ``database`` (the connection and
its transactions), ``schema`` (tables and migrations under ``PRAGMA user_version``), ``models`` (the frozen
values), ``validation`` (checks on input), ``store``, ``session_workflow``. Tables and folder layout:
docs/formats.md, "Records".
"""

from stsp_app.records.models import Child, Consent, Session
from stsp_app.records.session_workflow import AddedSession, SessionCancelled, SessionWorkflow
from stsp_app.records.store import RecordStore

__all__ = ["AddedSession", "Child", "Consent", "RecordStore", "Session", "SessionCancelled", "SessionWorkflow"]
