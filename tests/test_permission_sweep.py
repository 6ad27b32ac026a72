"""The permission sweep: every URL of the portal × role × object inside/outside scope × method,
against the table in ``povertyportal/permissions.py`` (rendered into ``docs/permissions.md``).

146 URL patterns × 7 roles: 3066 requests (1533 GET, 1533 POST); 73 patterns are tried on an object
inside and one outside the officer's scope, and with an unknown id (1022 more requests).
Command: ``.venv/bin/python -m pytest tests/test_permission_sweep.py`` (about 50 s on SQLite,
80 s on PostgreSQL; the same figures head ``docs/permissions.md``, and
``povertyportal.permissions.figures()`` counts them).

Every request is sent by a logged-in client of its role (``force_login``; anonymous has none),
inside a transaction rolled back afterwards, so that an allowed action does not change what the
next request sees. A refused POST must leave every table of the portal as it was; no response may
be a server error, and no page may show a household code, head's name or project code of the
commune the user may not see. The objects are built once for the module, through the services.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max, Sum
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from api.services import token_create
from areas.models import Role, UnitGroup
from areas.services import OLD_TREE_FROM
from communication import services as communication_services
from communication.models import ActivityKind
from finance import services as finance_services
from households.models import Member, Survey
from households.services import average_request_create
from indicators import services as indicator_services
from povertyportal import permissions
from povertyportal.permissions import METHODS, REFUSED, ROLES, TABLE
from projects import services as project_services
from projects.loading import program_load
from reports.exports.services import export_run, export_start
from support import services as support_services
from support.models import SupportKind
from tests.conftest import Cast, make_user, unit
from tests.households.factories import POOR_FIELDS, member, open_round, register, save
from tests.labour.factories import labour_side
from tests.monitoring.factories import monitoring_side
from tests.projects.factories import component, proposal
from tests.reports.test_import_data import hh, mb, validate, xlsx

pytestmark = pytest.mark.django_db

CONTENT_TYPE = "application/x-www-form-urlencoded"
UNKNOWN = 999_999  # an id no object has
OBSERVE = os.environ.get("SWEEP_OBSERVE")  # a file to write the outcomes to, instead of checking


# --- the objects ------------------------------------------------------------------------------


def _side(officer, district, commune, round_, head: str) -> tuple[dict[str, int], list[str]]:
    """One of each object in ``commune``, made by its officer and district staff, and the
    markers that only those who may see the commune's households may read."""
    farm = register(officer, commune, members=[member(head)], is_farm_household=True)
    others = [register(officer, commune, members=[member(f"{head} Con")]) for _ in range(2)]
    survey = Survey.objects.get(household=farm, round=round_)
    average = average_request_create(
        by=officer, household=farm, round_=round_, requested_on=round_.starts_on,
        income_12_months=20_000_000, member_count=1,
    )  # fmt: skip
    minutes = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 sweep", content_type="application/pdf")
    project = proposal(officer, [commune], others, minutes=minutes)
    model = proposal(
        officer, [commune], others[:1], form="model", component=component("2"), state=50_000_000
    )
    project_services.project_submit(by=officer, project=model)
    project_services.project_appraise(by=district, project=model)
    project_services.project_approve(
        by=district, project=model, decision_number="7/QĐ-UBND", decision_date=timezone.localdate()
    )
    project_services.project_start(by=officer, project=model)
    project_services.project_complete(by=officer, project=model)
    project_services.project_evaluate(
        by=district, project=model, economic_rating="good", social_rating="good",
        environmental_rating="fair", recommend_replication=True,
        income_before=1_000_000, income_after=1_600_000,
    )  # fmt: skip
    course = project_services.course_create(
        by=officer, unit=commune, title="Tập huấn nuôi bò", kind="technique",
        component=component("3.1"), starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 4, 3),
        place="Nhà văn hóa thôn 1", organiser="Trạm khuyến nông",
    )  # fmt: skip
    export = export_start(
        by=officer, report="list_poor", params={"round": round_.pk, "unit": commune.pk}
    )
    export_run(job_id=export.pk)
    content = xlsx([hh("SWEEP1", commune=commune.code)], [mb("SWEEP1")], round_)
    imported = validate(officer, round_, content)
    saved = indicator_services.saved_analysis_create(
        by=district, name=f"Phân tích {head}", query="rows=commune"
    )  # private to the district staff who saved it
    # household support: a poor household with a helper and a plan item
    poor = register(officer, commune, members=[member(f"{head} Nghèo")])
    save(officer, Survey.objects.get(household=poor, round=round_), **POOR_FIELDS,
         needs=",housing,")  # fmt: skip
    helper = support_services.helper_assign(
        by=officer, household=poor, helper_name="Người Giúp Đỡ", organisation="Đảng ủy xã",
        starts_on=round_.starts_on,
    )  # fmt: skip
    plan_item = support_services.plan_item_add(
        by=officer, household=poor, need="housing", kind=SupportKind.objects.get(code="housing"),
        action="Hỗ trợ sửa nhà", due_on=round_.ends_on, responsible="UBND xã",
    )  # fmt: skip
    visit, recommendation, visit_file = monitoring_side(district, commune)
    activity = communication_services.activity_create(
        by=officer, kind=ActivityKind.objects.get(code="conference"), held_on=dt.date(2026, 5, 4),
        unit=commune, title="Đối thoại chính sách giảm nghèo", reach=80, materials=100,
    )  # fmt: skip
    token = token_create(by=officer, user=officer, name=f"Mã {head}").token
    objects = {
        "api_token": token.pk,
        "unit": commune.pk,
        "commune": commune.pk,
        "household": farm.pk,
        "survey": survey.pk,
        "member": Member.objects.get(household=farm).pk,
        "average_request": average.pk,
        "project": project.pk,
        "model": model.pk,
        "course": course.pk,
        "export_job": export.pk,
        "import_job": imported.pk,
        "saved_analysis": saved.pk,
        "helper": helper.pk,
        "plan_item": plan_item.pk,
        "visit": visit.pk,
        "recommendation": recommendation.pk,
        "visit_file": visit_file.pk,
        "communication_activity": activity.pk,
        **labour_side(officer, commune, poor),
    }
    markers = [head, farm.code, *(h.code for h in others), project.code, model.code, poor.code]
    return objects, markers


def _funds(admin, district, commune) -> dict[str, int]:
    """A plan line of the commune, an allocation to it and a disbursement (district staff)."""
    plan = finance_services.plan_create(
        by=admin, year=2026, component=component("3.1"), unit=commune, source="local_budget",
        amount=100_000_000,
    )  # fmt: skip
    allocation = finance_services.allocation_create(
        by=district, plan=plan, commune=commune, amount=60_000_000, allocated_on=dt.date(2026, 3, 2)
    )
    paid = finance_services.disbursement_create(
        by=district, allocation=allocation, paid_on=dt.date(2026, 4, 1), amount=20_000_000,
        purpose="Mua giống",
    )  # fmt: skip
    return {"fund_plan": plan.pk, "fund_allocation": allocation.pk, "fund_disbursement": paid.pk}


def _contributions(officer, commune) -> dict[str, int]:
    """A contribution to the commune's fund and a use paying for a support record of the
    commune's helped household (its code must stay hidden from outsiders)."""
    from contributions import services as contribution_services
    from support.models import HelperAssignment

    household = HelperAssignment.objects.filter(household__commune=commune).first().household
    record = support_services.support_record(
        by=officer, household=household, kind=SupportKind.objects.get(code="housing"),
        source="mobilised", received_on=dt.date(2026, 5, 4), amount=40_000_000,
    )  # fmt: skip
    contribution = contribution_services.contribution_create(
        by=officer, unit=commune, received_on=dt.date(2026, 5, 2), donor_name="Công ty Sweep",
        donor_kind="enterprise", cash_amount=50_000_000,
    )  # fmt: skip
    use = contribution_services.use_create(
        by=officer, contribution=contribution, used_on=dt.date(2026, 5, 4), amount=40_000_000,
        description="Xây nhà Đại đoàn kết", support_records=[record],
    )  # fmt: skip
    return {"contribution": contribution.pk, "contribution_use": use.pk}


def _build() -> dict:
    program_load()
    cast = Cast()
    users = {
        "officer": cast.officer,
        "district": cast.district,
        "leader": cast.leader,
        "admin": cast.admin,
        "outsider": cast.outsider,
        # district staff of former Sơn Tịnh district (527), which Xã Sơn Tịnh (21220) came from
        "outsider_district": make_user(
            "outsider_district",
            Role.DISTRICT_STAFF,
            (UnitGroup.objects.get(code="huyen-cu-527"), OLD_TREE_FROM, None),
        ),
    }
    round_ = open_round(cast.admin, 2026)
    run = indicator_services.rollup_start(round_=round_, by=cast.admin)
    common = {"round": round_.pk, "run": run.pk}
    inside, inside_markers = _side(
        cast.officer, cast.district, unit("21484"), round_, "Đinh Văn Trong"
    )
    outside, outside_markers = _side(
        users["outsider"], users["outsider_district"], unit("21220"), round_, "Trương Thị Ngoài"
    )
    inside |= _funds(cast.admin, cast.district, unit("21484"))
    outside |= _funds(cast.admin, users["outsider_district"], unit("21220"))
    inside |= _contributions(cast.officer, unit("21484"))
    outside |= _contributions(users["outsider"], unit("21220"))
    return {
        "users": users,
        "inside": {**common, **inside},
        "outside": {**common, **outside},
        "any": common,
        "unknown": {**common, **dict.fromkeys(inside, UNKNOWN)},
        "markers": {"inside": inside_markers, "outside": outside_markers},
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The objects, built once in a transaction that is rolled back after the module."""
    from povertyportal.celery import app

    app.conf.task_always_eager = True
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("sweep-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        yield _build()
        transaction.set_rollback(True)


@pytest.fixture
def clients(world):
    result = {"anonymous": Client()}
    for role, user in world["users"].items():
        result[role] = Client()
        result[role].force_login(user)
    return result


# --- what a request did -----------------------------------------------------------------------

SKIPPED_TABLES = ("django_session", "axes_")


def _models():
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if not m._meta.db_table.startswith(SKIPPED_TABLES) and not m._meta.proxy
    ]


def snapshot() -> dict:
    """Count, newest change and sum of versions of every table: a refused POST leaves it equal."""
    state = {}
    for model in _models():
        names = {f.name for f in model._meta.concrete_fields}
        aggregates = {}
        if "updated_at" in names:
            aggregates["updated"] = Max("updated_at")
        if "version" in names:
            aggregates["version"] = Sum("version")
        row = {"count": model._default_manager.count()}
        if aggregates:
            row.update(model._default_manager.aggregate(**aggregates))
        if "status" in names:
            row["status"] = list(model._default_manager.order_by("pk").values_list("status"))
        state[model._meta.label] = row
    return state


def outcome(response) -> str:
    if response.status_code in (301, 302):
        path = urlsplit(response["Location"]).path
        return "login" if path in (reverse("login"), reverse("admin:login")) else "302"
    return str(response.status_code)


def call(client: Client, method: str, url: str, data: dict) -> tuple[str, list[str], str]:
    """(outcome, changed, body): the request's outcome, the tables a POST changed, and the
    page's text (empty for files)."""
    with transaction.atomic():
        before = snapshot() if method == "POST" else None
        try:
            response = client.generic(method, url, urlencode(data), CONTENT_TYPE)
        except Exception as error:  # a server error is what the sweep looks for
            transaction.set_rollback(True)
            return "500", [], repr(error)
        body = ""
        if response.get("Content-Type", "").startswith("text/html"):
            body = response.content.decode()
        if response.streaming:  # read it through: the test client closes it without
            b"".join(response.streaming_content)  # closing the database connection
        changed = []
        if before is not None:
            after = snapshot()
            changed = [label for label in before if before[label] != after[label]]
        transaction.set_rollback(True)
    return outcome(response), changed, body


def request_for(name: str, objects: dict) -> tuple[str, dict]:
    """The row's URL and POST data for one side's objects."""
    row = TABLE[name]
    kwargs = {k: objects[obj] for k, obj in row.kwargs.items()}
    data = {k: re.sub(r"\{(\w+)\}", lambda m: str(objects[m[1]]), v) for k, v in row.post.items()}
    return reverse(name, kwargs={**kwargs, **row.slugs}), data


# --- the tests --------------------------------------------------------------------------------


def test_every_url_has_a_row_and_every_row_a_url():
    names = {name for name, _route in permissions.url_patterns() if permissions.is_swept(name)}
    assert sorted(names - set(TABLE)) == [], "URLs without a row in povertyportal/permissions.py"
    assert sorted(set(TABLE) - names) == [], "rows of povertyportal/permissions.py without a URL"
    assert permissions.unnamed_patterns() == [], "the sweep finds URLs by name: name them"


def test_the_table_is_well_formed():
    for name, row in TABLE.items():
        assert set(row.expect) <= set(METHODS) and row.expect, name
        for method in row.expect:
            for obj in row.objects:
                row.outcomes(method, obj)  # raises on a malformed string
        for obj in row.kwargs.values():
            assert obj in permissions.SCOPED_OBJECTS + permissions.GLOBAL_OBJECTS, name


# Who must never see a side's markers (household codes, the head's name, project codes).
BLIND = {"inside": ("outsider", "outsider_district"), "outside": ("officer", "district")}


@pytest.mark.parametrize("name", sorted(TABLE))
def test_sweep(name, world, clients):
    row = TABLE[name]
    writers = set(row.writes.split())
    wrong, observed = [], []
    for obj in row.objects:
        url, data = request_for(name, world[obj])
        for method in METHODS if OBSERVE else row.expect:
            expected = {} if OBSERVE else row.outcomes(method, obj)
            for role in ROLES:
                got, changed, body = call(clients[role], method, url, data)
                if name == "logout" and role != "anonymous":
                    clients[role].force_login(world["users"][role])
                seen = [
                    marker
                    for side, blind in BLIND.items()
                    if role in blind
                    for marker in world["markers"][side]
                    if marker in body
                ]
                observed.append({"name": name, "obj": obj, "method": method, "role": role,
                                 "got": got, "changed": changed, "seen": seen})  # fmt: skip
                where = f"{method} {url} {data or ''} ({obj}) as {role}"
                if got == "500":
                    wrong.append(f"{where}: server error {body}")
                elif not OBSERVE and got != expected[role]:
                    wrong.append(f"{where}: {got}, expected {expected[role]}")
                if changed and (role not in writers or got in REFUSED):
                    wrong.append(f"{where}: {got} and changed {changed}")
                if seen:
                    wrong.append(f"{where}: shows {seen} of the other side")
    if OBSERVE:
        with open(OBSERVE, "a", encoding="utf-8") as out:
            for line in observed:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
    assert not wrong, "\n".join(wrong)


# The side each role cannot see; the leader and the administrator see both.
HIDDEN = {"officer": "outside", "district": "outside", "outsider": "inside",
          "outsider_district": "inside", "anonymous": "inside"}  # fmt: skip


@pytest.mark.parametrize("name", sorted(n for n, row in TABLE.items() if row.scoped))
def test_an_unknown_id_is_answered_as_one_outside_scope(name, world, clients):
    """Nobody learns which ids exist: an unknown id gets what an object outside the user's scope
    gets; the leader and the administrator, who see every object, get a 404 or the refusal they
    get for any object (a role or method they are refused whatever the object)."""
    row = TABLE[name]
    url, data = request_for(name, world["unknown"])
    wrong = []
    for method in row.expect:
        for role in ROLES:
            got, changed, _body = call(clients[role], method, url, data)
            if role in HIDDEN:
                allowed = {row.outcomes(method, HIDDEN[role])[role]}
            else:
                allowed = {"404"} | {
                    row.outcomes(method, side)[role] for side in ("inside", "outside")
                } & {"403", "405"}
            if got not in allowed or changed:
                wrong.append(f"{method} {url} {data or ''} as {role}: {got}, expected {allowed}")
    assert not wrong, "\n".join(wrong)


def test_the_markers_are_shown_to_those_who_may_see_them(world, clients):
    """The sweep's check that no page shows the other side's markers means something only if
    pages do show them to those in scope."""
    for role, side in (("officer", "inside"), ("outsider", "outside"), ("leader", "inside")):
        objects = world[side]
        pages = [
            reverse("household_list"),
            reverse("household_detail", args=[objects["household"]]),
            reverse("project_list"),
        ]
        body = "".join(call(clients[role], "GET", url, {})[2] for url in pages)
        assert all(marker in body for marker in world["markers"][side]), (role, side)


def test_the_module_docstring_gives_the_figures():
    assert permissions.figures_line() in " ".join(__doc__.split())
