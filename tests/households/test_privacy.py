"""Personal data (Decree 13/2023/NĐ-CP): citizen IDs in full only for who enters them (the commune's
officers, administrators), masked for district staff and leaders on every page and export; an
access log of who opened which household's personal data, read by administrators only."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from households.models import PersonalDataAccess, Survey
from households.privacy import mask_citizen_id
from reports.exports.services import export_start
from reports.models import Job
from tests.conftest import unit
from tests.households.factories import POOR_FIELDS, member, register, save

pytestmark = pytest.mark.django_db

HEAD_ID, CHILD_ID = "051085000101", "051212000177"
MASKED_HEAD, MASKED_CHILD = "051*******01", "051*******77"


@pytest.fixture
def survey(cast, ba_to, round_):
    household = register(
        cast.officer,
        ba_to,
        members=[
            member("Đinh Văn Lợi", citizen_id=HEAD_ID),
            member("Đinh Thị Mai", relation="child", sex="female", citizen_id=CHILD_ID),
        ],
    )
    return save(cast.officer, Survey.objects.get(household=household, round=round_), **POOR_FIELDS)


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_mask_keeps_the_province_code_and_the_last_two_digits():
    assert mask_citizen_id("051085000101") == "051*******01"
    assert mask_citizen_id("") == ""
    assert mask_citizen_id("12345") == "*****"


@pytest.mark.parametrize("name", ["survey_edit", "household_detail"])
def test_readers_see_masked_citizen_ids_and_enterers_full_ones(client, cast, survey, name):
    pk = survey.pk if name == "survey_edit" else survey.household_id
    url = reverse(name, args=[pk])
    for reader in (cast.district, cast.leader):
        body = page(client, reader, url)
        assert HEAD_ID not in body and CHILD_ID not in body, reader
        assert MASKED_HEAD in body and MASKED_CHILD in body, reader
        assert "Đinh Văn Lợi" in body
    for enterer in (cast.officer, cast.admin):
        body = page(client, enterer, url)
        assert HEAD_ID in body and CHILD_ID in body, enterer


def test_every_view_of_a_household_or_its_survey_is_logged_with_one_insert(client, cast, survey):
    household = survey.household
    page(client, cast.district, reverse("survey_edit", args=[survey.pk]))
    page(client, cast.officer, reverse("household_detail", args=[household.pk]))
    page(client, cast.leader, reverse("household_detail", args=[household.pk]))
    rows = list(PersonalDataAccess.objects.order_by("id"))
    assert [(r.user, r.action, r.household, r.commune, r.citizen_ids_shown) for r in rows] == [
        (cast.district, "survey", household, household.commune, False),
        (cast.officer, "household", household, household.commune, True),
        (cast.leader, "household", household, household.commune, False),
    ]
    client.force_login(cast.officer)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("household_detail", args=[household.pk]))
    inserts = [q["sql"] for q in queries if "households_personaldataaccess" in q["sql"]]
    assert len(inserts) == 1 and inserts[0].startswith("INSERT")


def test_outsiders_are_not_logged_as_having_seen_anything(client, cast, survey):
    client.force_login(cast.outsider)
    assert client.get(reverse("household_detail", args=[survey.household_id])).status_code == 404
    assert client.get(reverse("survey_edit", args=[survey.pk])).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def _export(user, round_, area, capture) -> Job:
    with capture(execute=True):
        job = export_start(
            by=user, report="list_poor", params={"round": round_.pk, "unit": area.pk}
        )
    job.refresh_from_db()
    assert job.status == "done", job.error
    return job


def _ids_in(job: Job) -> set[str]:
    ws = load_workbook(io.BytesIO(job.result.read()), read_only=True).active
    return {c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)}


def test_exports_mask_citizen_ids_for_readers_and_log_one_row_per_export(
    cast, survey, round_, ba_to, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    officer_job = _export(cast.officer, round_, ba_to, capture)
    assert {HEAD_ID, CHILD_ID} <= _ids_in(officer_job)
    for reader in (cast.district, cast.leader):
        cells = _ids_in(_export(reader, round_, ba_to, capture))
        assert {MASKED_HEAD, MASKED_CHILD} <= cells and not {HEAD_ID, CHILD_ID} & cells
    province_job = _export(cast.leader, round_, unit("51"), capture)
    assert not {HEAD_ID, CHILD_ID} & _ids_in(province_job)
    rows = list(PersonalDataAccess.objects.order_by("id"))
    assert len(rows) == 4  # one per export, none per household
    assert all(r.action == "export" and r.household is None for r in rows)
    assert [r.citizen_ids_shown for r in rows] == [True, False, False, False]
    assert [r.commune for r in rows] == [ba_to, ba_to, ba_to, None]
    assert rows[0].reference.startswith(f"#{officer_job.pk} · Danh sách hộ nghèo")
    assert rows[3].reference.startswith(f"#{province_job.pk} ·")
    assert "Tỉnh Quảng Ngãi" in rows[3].reference


def test_only_administrators_read_the_log_in_the_admin_and_nobody_edits_it(client, cast, survey):
    page(client, cast.district, reverse("household_detail", args=[survey.household_id]))
    record = PersonalDataAccess.objects.get()
    listing = reverse("admin:households_personaldataaccess_changelist")
    change = reverse("admin:households_personaldataaccess_change", args=[record.pk])
    root = get_user_model().objects.create_superuser("root", password="x-very-long-password")
    client.force_login(root)
    body = client.get(listing, {"user__id__exact": cast.district.pk}).content.decode()
    assert "Xem hộ" in body and survey.household.code in body
    assert (
        client.get(listing, {"commune__id__exact": survey.household.commune_id}).status_code == 200
    )
    assert client.get(listing, {"at__year": record.at.year}).status_code == 200
    assert client.get(change).status_code == 200
    assert client.post(change, {"reference": "sửa"}).status_code == 403
    assert client.get(reverse("admin:households_personaldataaccess_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:households_personaldataaccess_delete", args=[record.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert PersonalDataAccess.objects.get().reference == ""
    for user in cast.all():  # cast.admin is staff, but has no permission on the log
        client.force_login(user)
        assert client.get(listing).status_code in (302, 403), user
