"""Finding households by code or head's name, as the round list searches them; the picker of a
regular round's list searches the same way."""

from __future__ import annotations

from django.db.models import Q

from areas.text import fold


def household_match(term: str, prefix: str = "household__") -> Q:
    """``prefix``: the path from the queried model to the household ("" on households)."""
    # A code by its start, or by any part of 3 characters or more ("09101" of
    # "21484-09101"): served by the B-tree and the code's trigram index (migration 0009).
    code = Q(**{f"{prefix}code__startswith": term})
    if len(term) >= 3:
        code |= Q(**{f"{prefix}code__contains": term})
    return code | Q(**{f"{prefix}head_name_folded__contains": fold(term)})
