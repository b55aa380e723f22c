"""Published reference bands that a drill metric can be read against, each with its source.

Only bands whose numbers were read in the source itself are here, with the population they describe. A band
is shown next to a child's value only where it fits the child: the child's sex is recorded and is the band's,
and the child's age at the session lies wholly within the band's ages (the records keep the birth year only,
so the age is known to a year: a child born in 2011 is 14 or 15 in 2025). Everywhere else the report shows
no band and no verdict: a number without a fitting reference is compared with the child's own sessions.

Looked for and left out, with the reasons: ``NOT_BUILT_IN`` (also in docs/formats.md, "Report").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Source:
    """A publication: ``short`` as the report's tables cite it, ``citation`` in full on the references page."""

    short: str
    citation: str


@dataclass(frozen=True)
class ReferenceBand:
    """The range ``low``-``high`` (in ``unit``) that ``source`` reports for ``metric_names`` of ``drill`` (named
    ``measure`` for people) in one population: ``sex`` ("F"/"M") and ages ``min_age_years``-``max_age_years``
    inclusive, ``who`` in a few words and ``population`` in full. ``meaning`` says what the range is in the
    source's own terms; ``task`` how it was measured there."""

    drill: str
    metric_names: tuple[str, ...]
    measure: str
    low: float
    high: float
    unit: str
    sex: str
    min_age_years: int
    max_age_years: int
    who: str
    population: str
    task: str
    meaning: str
    source: Source

    def fits(self, sex: str | None, birth_year: int | None, on: date) -> bool:
        """Whether this band describes a child of this sex and birth year on this date."""
        if sex != self.sex or birth_year is None:
            return False
        youngest, oldest = on.year - birth_year - 1, on.year - birth_year
        return self.min_age_years <= youngest and oldest <= self.max_age_years

    @property
    def range_text(self) -> str:
        unit = "°" if self.unit == "deg" else f" {self.unit}"
        return f"{self.low:g}-{self.high:g}{unit}"


HERRINGTON_MUNRO_2010 = Source(
    short="Herrington & Munro 2010",
    citation="Herrington L, Munro A. Drop jump landing knee valgus angle; normative data in a physically active "
             "population. Physical Therapy in Sport 2010;11(2):56-59. doi:10.1016/j.ptsp.2009.11.004",
)

_FPPA_METRICS = ("left_knee_fppa_at_peak_flexion_deg", "right_knee_fppa_at_peak_flexion_deg")
_FPPA_POPULATION = ("physically active, asymptomatic adults aged 18-28 (50 women, 50 men), "
                    "a university biomechanics laboratory")
_FPPA_TASK = "knee valgus angle (2D frontal-plane projection angle) in a drop jump landing, from a front-view camera"
_FPPA_MEANING = "the range the authors give as an average, 'normal' performance (both sides alike)"

_FPPA_MEASURE = "knee valgus (FPPA) at peak knee flexion, left and right"

REFERENCE_BANDS: tuple[ReferenceBand, ...] = (
    ReferenceBand("drop-jump", _FPPA_METRICS, _FPPA_MEASURE, 7.0, 13.0, "deg", "F", 18, 28,
                  "physically active women aged 18-28", _FPPA_POPULATION, _FPPA_TASK, _FPPA_MEANING,
                  HERRINGTON_MUNRO_2010),
    ReferenceBand("drop-jump", _FPPA_METRICS, _FPPA_MEASURE, 3.0, 8.0, "deg", "M", 18, 28,
                  "physically active men aged 18-28", _FPPA_POPULATION, _FPPA_TASK, _FPPA_MEANING,
                  HERRINGTON_MUNRO_2010),
)

# Reference values looked for and not built in, and why (the report's references page lists them).
NOT_BUILT_IN: tuple[str, ...] = (
    "Countermovement-jump height of children by age and sex (e.g. Taylor et al. 2010, English schoolchildren "
    "aged 10-15 on a jump mat; the FUPRECOL study, Colombian schoolchildren aged 9-17): their tables by age and "
    "sex were not available to the developers, only the abstracts.",
    "The LESS total-score cut-off (Padua et al. 2015, elite-youth soccer players: 5 errors or more): the "
    "drop-jump drill scores 10 of the 17 LESS items automatically (7 from a side view, 4 from a front view), and "
    "a part-score cannot be read against a total.",
    "Running cadence: it depends on running speed, which a single camera does not measure.",
)


def bands_of(drill: str, metric_name: str) -> list[ReferenceBand]:
    """Every band published for this metric of this drill, whatever its population."""
    return [band for band in REFERENCE_BANDS if band.drill == drill and metric_name in band.metric_names]


def fitting_band(drill: str, metric_name: str, sex: str | None, birth_year: int | None,
                 on: date) -> ReferenceBand | None:
    """The band for this metric that describes this child on this date, or None."""
    for band in bands_of(drill, metric_name):
        if band.fits(sex, birth_year, on):
            return band
    return None
