"""The access log of personal data (Decree 13/2023/NĐ-CP): one INSERT per page view or export."""

from __future__ import annotations

from areas.models import Unit

from ..models import Household, PersonalDataAccess


def personal_data_access_record(
    *,
    user,
    action: str,
    household: Household | None = None,
    commune: Unit | None = None,
    reference: str = "",
    citizen_ids_shown: bool = False,
) -> PersonalDataAccess:
    """Record that ``user`` was shown personal data: a household's page or survey page
    (``household``; its commune by default), or a generated export (``reference``: the job)."""
    if commune is None and household is not None:
        commune_id = household.commune_id
    else:
        commune_id = commune.pk if commune is not None else None
    return PersonalDataAccess.objects.create(
        user=user,
        action=action,
        household=household,
        commune_id=commune_id,
        reference=reference[:250],
        citizen_ids_shown=citizen_ids_shown,
    )
