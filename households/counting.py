"""How a round's entries are counted: the one definition behind every figure the portal shows.

DOMAIN.md §4–5. The rollup (``indicators.rollups``, in SQL), the round progress page
(``households.progress``), the household list's totals (``households.listing``) and every export
(``reports.exports``) build their counts from the definitions below, and nothing else decides
which class an entry counts in, who was on the list at the start or how many persons a household
has. ``tests/test_consistency.py`` checks that every page and export shows the same figure, and
that it equals an independent count from the raw rows (``tests/indicators/independent.py``).

- **Effective class of an entry.** A surveyed or carried-over entry counts with its own class. A
  pending entry (not surveyed yet in an open round) counts with the class it had on last round's
  list, and so its figures are provisional. The database keeps this as the generated column
  ``Survey.effective_class``; count on it, never on ``poverty_class``.
- **Persons.** A household counts with the members recorded on its entry this round
  (``member_count``); a household that left during the round, with those recorded when it left
  (``Exclusion.member_count``).
- **On the list at the start.** The entries that were on last round's list in this commune (not
  an arrival, with a previous class), and the households that left during the round
  (exclusions with a previous class), each with its previous class.
- **At the end.** The round's entries only (a household that left is not on the list).
- **Transitions.** Each entry and exclusion carries its transition (``households.rules``), so the
  start plus increases minus decreases equals the end, in households and in persons.
- **Provisional vs official.** A round's figures are provisional while the round is open and not
  every commune's result has been accepted by its district (``is_provisional``).
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from .standards import PovertyClass

CLASS = "effective_class"  # the column every count by class reads
PERSONS = "member_count"
POOR, NEAR_POOR, AVERAGE = (c.value for c in (PovertyClass.POOR, PovertyClass.NEAR_POOR,
                                              PovertyClass.AVERAGE))  # fmt: skip

# --- the ORM form: filters and aggregates over Survey (entries) and Exclusion (exits) ----------


def in_class(cls: str) -> Q:
    """Entries counting in this class."""
    return Q(**{CLASS: cls})


# Entries on last round's list in this commune; exclusions always were (with a previous class).
LISTED_AT_START = Q(arrival="") & ~Q(previous_class="")
EXIT_LISTED_AT_START = ~Q(previous_class="")


def at_start(cls: str, *, exits: bool = False) -> Q:
    """Entries (or exclusions, ``exits=True``) that were on the list at the start in ``cls``."""
    return (EXIT_LISTED_AT_START if exits else LISTED_AT_START) & Q(previous_class=cls)


def households(condition: Q | None = None) -> Count:
    return Count("pk", filter=condition)


def persons(condition: Q | None = None) -> Coalesce:
    return Coalesce(Sum(PERSONS, filter=condition), 0)


def class_counts(classes=(POOR, NEAR_POOR, AVERAGE), *, with_persons: bool = False) -> dict:
    """Aggregates over entries: ``entries``, ``persons`` and, per class, ``<class>`` (households)
    and with ``with_persons`` ``<class>_persons``."""
    out = {"entries": households(), "persons": persons()}
    for cls in classes:
        out[cls] = households(in_class(cls))
        if with_persons:
            out[f"{cls}_persons"] = persons(in_class(cls))
    return out


# --- the SQL form, for the rollup's hand-written statement (indicators.rollups) ----------------

SQL_CLASS = CLASS
SQL_LISTED_AT_START = "arrival = '' AND previous_class <> ''"
SQL_EXIT_LISTED_AT_START = "e.previous_class <> ''"


def is_provisional(round_is_open: bool, accepted: int, communes: int) -> bool:
    """Figures are official once the round is closed or every commune's result is accepted."""
    return round_is_open and accepted < communes
