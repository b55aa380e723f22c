"""Checks on what goes into the records, each failing with one :class:`InputError` that says what to give.

The messages name the field, not a command-line option: the app shows them too.
"""

from __future__ import annotations

import math
import unicodedata
from datetime import date, datetime

from stsp_app.drills import DRILL_NAMES
from stsp_app.errors import InputError
from stsp_app.records.models import SEXES, SIDES, Consent

NAME_MAX_CHARS = 100
HEIGHT_RANGE_CM = (50.0, 250.0)
BODY_MASS_RANGE_KG = (5.0, 250.0)
OLDEST_AGE_YEARS = 100


def clean_name(name: str) -> str:
    """The display name as stored: Unicode NFC, surrounding blanks removed, inner runs of blanks as one space."""
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned:
        raise InputError("the name is empty: give a name or a pseudonym")
    if len(cleaned) > NAME_MAX_CHARS:
        raise InputError(f"the name is {len(cleaned)} characters long: give at most {NAME_MAX_CHARS}")
    if any(unicodedata.category(char) == "Cc" for char in cleaned):
        raise InputError(f"the name {cleaned!r} holds control characters")
    return cleaned


def name_key(name: str) -> str:
    """What makes two names the same child: the cleaned name without regard to case ("Léa" = "LÉA")."""
    return clean_name(name).casefold()


def search_key(text: str) -> str:
    """Search text compared the way names are (any case, blanks as one space); "" matches every name."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def check_birth_year(birth_year: int | None, today: date) -> int | None:
    if birth_year is None:
        return None
    earliest = today.year - OLDEST_AGE_YEARS
    if isinstance(birth_year, bool) or not isinstance(birth_year, int) or not earliest <= birth_year <= today.year:
        raise InputError(f"birth year {birth_year}: give a year from {earliest} to {today.year}")
    return birth_year


def check_height_cm(height_cm: float | None) -> float | None:
    return _in_range(height_cm, HEIGHT_RANGE_CM, "height", "cm", "the height in centimetres")


def check_body_mass_kg(body_mass_kg: float | None) -> float | None:
    return _in_range(body_mass_kg, BODY_MASS_RANGE_KG, "body mass", "kg", "the body mass in kilograms")


def check_sex(sex: str | None) -> str | None:
    if sex is not None and sex not in SEXES:
        raise InputError(f"sex {sex!r}: give {' or '.join(SEXES)}, or leave it unset")
    return sex


def check_dominant_side(side: str | None) -> str | None:
    if side is not None and side not in SIDES:
        raise InputError(f"dominant side {side!r}: give {' or '.join(SIDES)}, or leave it unset")
    return side


def check_consent(consent: Consent | None, today: date) -> Consent | None:
    if consent is None:
        return None
    given_by = " ".join(consent.given_by.split())
    if not given_by:
        raise InputError("consent: say who gave it (a parent's name, the child...)")
    if consent.date > today:
        raise InputError(f"consent date {consent.date.isoformat()} is in the future")
    return Consent(consent.date, given_by)


def check_drill(drill: str | None) -> str | None:
    if drill is not None and drill not in DRILL_NAMES:
        raise InputError(f"unknown drill {drill!r}: the drills are {', '.join(DRILL_NAMES)}")
    return drill


def parse_date(text: str, what: str) -> date:
    """A date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{what} {text!r}: write the date as YYYY-MM-DD") from None


def parse_date_time(text: str, what: str) -> datetime:
    """A date with an optional time (ISO 8601: YYYY-MM-DD, YYYY-MM-DDTHH:MM...), local time unless it says
    otherwise."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{what} {text!r}: write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    return moment.astimezone() if moment.tzinfo is None else moment


def _in_range(value: float | None, bounds: tuple[float, float], what: str, unit: str, hint: str) -> float | None:
    if value is None:
        return None
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not low <= value <= high:
        raise InputError(f"{what} {value} {unit}: give {hint} ({low:g}-{high:g})")
    return float(value)
