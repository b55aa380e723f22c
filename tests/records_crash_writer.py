"""Writes to the records (``XDG_DATA_HOME``) until killed: tests/test_records_crash.py SIGKILLs it mid-write.

Each line on stdout comes after the fact it states is committed (``added ID``) or before the write it
announces starts (``deleting ID``), so that a line read by the test is never ahead of the database.
Run: ``python -m tests.records_crash_writer`` from the repository root.
"""

from __future__ import annotations

from stsp_app.records import RecordStore
from tests.records_data import standing_analysis

RESULT = {"drill": "squat", "fps": 30.0, "frames": 300, "metrics": {}, "events": [], "reps": [], "notes": []}


def main() -> None:
    store = RecordStore()
    found = store.find_children("Crash Test")
    child = found[0] if found else store.add_child("Crash Test", height_cm=150)
    analysis = standing_analysis(frames=300, stature_mm=1500.0)
    added: list[int] = []
    while True:
        session = store.add_session(child.id, drill="squat", video_path="/videos/squat.mp4", video_sha256="0" * 64,
                                    analysis=analysis, drill_result=RESULT, coach_notes=f"note {len(added)}")
        print(f"added {session.id}", flush=True)
        added.append(session.id)
        if len(added) % 3 == 0:
            victim = added[-2]
            print(f"deleting {victim}", flush=True)
            store.delete_session(victim)
            store.update_child(store.get_child(child.id))


if __name__ == "__main__":
    main()
