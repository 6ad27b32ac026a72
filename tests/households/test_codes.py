"""Household codes the portal gives (issue 12): "<commune code>-<5 digits>" per commune, after the
codes already there, never the same twice (also under concurrent registrations, on PostgreSQL);
a paper code may still be typed; the list finds a household by any part of its code."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from households.models import Household, Survey
from households.services import household_create
from households.services.codes import household_code_next
from tests.conftest import require, unit
from tests.households.factories import member

pytestmark = pytest.mark.django_db


def create(cast, commune, code=""):
    return household_create(
        by=cast.admin, commune=commune, code=code, village="Thôn 1", members=[member()]
    )


def test_a_blank_code_gets_the_communes_next_number(cast, round_):
    ba_to = unit("21484")
    first = create(cast, ba_to)
    second = create(cast, ba_to)
    assert (first.code, second.code) == ("21484-00001", "21484-00002")


def test_numbering_starts_after_the_codes_already_there_and_skips_taken_ones(cast, round_):
    ba_to = unit("21484")
    create(cast, ba_to, code="21484-00041")  # typed from the paper register
    create(cast, ba_to, code="BT-CU-7")  # any other paper code is left alone
    assert create(cast, ba_to).code == "21484-00042"
    create(cast, ba_to, code="21484-00043")  # a paper code typed after numbering began
    assert create(cast, ba_to).code == "21484-00044"
    # communes count apart
    assert create(cast, unit("21490")).code == "21490-00001"


def test_a_typed_code_still_must_be_unique(cast, round_):
    from django.core.exceptions import ValidationError

    create(cast, unit("21484"), code="BT-001")
    with pytest.raises(ValidationError, match="đã tồn tại"):
        create(cast, unit("21484"), code="BT-001")


def test_the_page_registers_with_a_generated_code(client, cast, round_):
    from tests.households.test_survey_page import encode

    client.force_login(cast.officer)
    data = encode(
        {"commune": unit("21484").pk, "code": "", "village": "Thôn 2", "arrival": "new"},
        [member("Hồ Văn Mới")],
    )
    response = client.post(reverse("household_create"), data)
    if response.status_code != 302:
        context = response.context
        pytest.fail(f"{context['form'].errors} {context['members'].errors} {context['errors']}")
    assert Household.objects.get(head_name="Hồ Văn Mới").code == "21484-00001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_share_a_code(cast):
    """Eight threads, each its own connection and transaction, take codes of one commune at
    once: every code differs (PostgreSQL, where transactions really run side by side)."""
    require(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    ba_to = unit("21484")
    household_code_next(ba_to)  # the commune's counter exists: the threads race on its row
    codes, errors = [], []
    barrier = threading.Barrier(8)

    def take():
        try:
            from django.db import transaction

            barrier.wait(5)
            with transaction.atomic():
                codes.append(household_code_next(ba_to))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert len(codes) == 8 and len(set(codes)) == 8


def test_the_list_finds_a_household_by_part_of_its_code(client, cast, round_):
    ba_to = unit("21484")
    wanted = create(cast, ba_to, code="21484-09101")
    create(cast, ba_to, code="21484-00002")
    client.force_login(cast.officer)
    page = client.get(reverse("household_list"), {"round": round_.pk, "q": "09101"})
    rows = [s.household.code for s in page.context["page"].rows]
    assert rows == [wanted.code]
    assert Survey.objects.filter(household=wanted).exists()
