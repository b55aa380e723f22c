"""Numbers as the report prints them: a value rounded to what its ± allows, and units in words (moments are
worded by ``drills.wording``, as in the app)."""

from __future__ import annotations

import math

# Units of the drill results (docs/formats.md, "Drill results") as a reader sees them; "" prints nothing.
UNIT_TEXT: dict[str, str] = {
    "deg": "°",
    "deg/s": "°/s",
    "count": "",
    "yes/no": "",
    "ratio": "",  # what over what is in each ratio's label ("Feet apart over shoulder width", "Knees apart over …")
    "heights/s": "body heights/s",
}


def unit_text(unit: str) -> str:
    return UNIT_TEXT.get(unit, unit)


def decimals_for(uncertainty: float) -> int:
    """Decimals that keep two significant digits of the uncertainty (0.0334 → 3, 4.99 → 1, 15.7 → 0)."""
    if uncertainty <= 0 or not math.isfinite(uncertainty):
        return 2
    return max(0, 1 - math.floor(math.log10(uncertainty)))


def plain_decimals(value: float) -> int:
    """Decimals for a value without a known ±: three significant digits, at most two decimals."""
    magnitude = abs(value)
    return 0 if magnitude >= 100 else 1 if magnitude >= 10 else 2


def value_text(value: float | int | bool | None, uncertainty: float | None = None) -> str:
    """The value as text: yes/no, a count, or a number rounded to its ± (or to three significant digits)."""
    if value is None:
        return "not measured"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    decimals = decimals_for(uncertainty) if uncertainty is not None else plain_decimals(value)
    text = f"{value:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text.replace("-", "−")


def uncertainty_text(uncertainty: float | None) -> str:
    """``± 5.0`` for an uncertainty, "" for none."""
    if uncertainty is None:
        return ""
    return f"± {uncertainty:.{decimals_for(uncertainty)}f}"


def amount_text(amount: float, unit: str, rounded_like: float) -> str:
    """A number with its unit, rounded as a value with ± ``rounded_like`` would be: ``3.2 cm``, ``16°``."""
    return _with_unit(value_text(float(amount), rounded_like), unit_text(unit))


def _with_unit(number: str, unit: str) -> str:
    return f"{number}{unit}" if unit.startswith("°") or not unit else f"{number} {unit}"


def quantity_text(value: float | int | bool | None, uncertainty: float | None, unit: str) -> str:
    """Value, unit and ± in one phrase for sentences: ``45.6 cm (± 5.0 cm)``, ``57° (± 16°)``, ``yes``."""
    shown = value_text(value, uncertainty)
    if value is None or isinstance(value, bool):
        return shown
    unit = unit_text(unit)
    if uncertainty is None:
        return _with_unit(shown, unit)
    return f"{_with_unit(shown, unit)} ({_with_unit(uncertainty_text(uncertainty), unit)})"
