"""The children panel and the child dialog: the list as a coach reads it, saving a profile, the question asked
before deleting."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from stsp_app.records import Child, Consent, RecordStore

HEIGHT_SENTENCE = ("The height sets the size of the 3D skeleton (metric scale, jump heights from the pelvis); "
                   "it does not change the angles.")


@dataclass(frozen=True)
class ChildRow:
    """One line of the children list: the name, the age this year (from the year of birth; "" when not
    recorded) and how many sessions the child has."""

    child_id: int
    name: str
    age: str
    sessions: int


def age_this_year(birth_year: int | None, today: date | None = None) -> str:
    """The age the child reaches this year, from the year of birth alone ("" when it is not recorded)."""
    if birth_year is None:
        return ""
    return str((today or date.today()).year - birth_year)


def child_rows(store: RecordStore, search: str = "") -> list[ChildRow]:
    """The children whose name contains ``search`` (any case), by name."""
    return [ChildRow(child.id, child.display_name, age_this_year(child.birth_year), store.count_sessions(child.id))
            for child in store.find_children(search)]


@dataclass(frozen=True)
class ChildFields:
    """What the child dialog edits, typed (None: not recorded). The store checks the values."""

    display_name: str
    birth_year: int | None = None
    sex: str | None = None
    height_cm: float | None = None
    body_mass_kg: float | None = None
    dominant_side: str | None = None
    notes: str = ""
    consent: Consent | None = None

    @classmethod
    def of(cls, child: Child) -> ChildFields:
        return cls(**{field.name: getattr(child, field.name) for field in dataclasses.fields(cls)})


def save_child(store: RecordStore, child_id: int | None, fields: ChildFields) -> Child:
    """Add a child (``child_id`` None) or save the edited profile of one; the store's InputError says what to
    correct, and nothing is saved then."""
    values = dataclasses.asdict(fields)
    values["consent"] = fields.consent  # asdict would turn it into a dict
    if child_id is None:
        name = values.pop("display_name")
        return store.add_child(name, **values)
    return store.update_child(dataclasses.replace(store.get_child(child_id), **values))


def delete_question(child: Child, session_count: int) -> str:
    """What the app asks before deleting a child with everything made for them."""
    name = child.display_name
    if session_count == 0:
        return f"Delete {name}? They have no sessions. This cannot be undone."
    if session_count == 1:
        return (f"Delete {name} and their 1 session, with its analysis, exports and reports? "
                "This cannot be undone.")
    return (f"Delete {name} and all {session_count} sessions, with their analyses, exports and reports? "
            "This cannot be undone.")
