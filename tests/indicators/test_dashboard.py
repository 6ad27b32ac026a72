"""Dashboards read stored values, are scoped, and show targets with their status."""

from decimal import Decimal

import pytest
from django.urls import reverse

from areas.models import UnitGroup
from indicators import services
from indicators.models import IndicatorValue, RollupRun, Target
from indicators.targets import targets_seed
from tests.conftest import unit
from tests.indicators.test_rollups import two_rounds  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(two_rounds, django_capture_on_commit_callbacks):  # noqa: F811
    r25, r26 = two_rounds
    for round_ in (r25, r26):
        with django_capture_on_commit_callbacks(execute=True):
            services.rollup_start(round_=round_)
    targets_seed()
    return r25, r26


def test_anonymous_redirected(client):
    assert client.get(reverse("dashboard")).status_code == 302


def test_no_round_empty_state(client, cast):
    client.force_login(cast.leader)
    response = client.get(reverse("dashboard"))
    assert "Chưa có đợt rà soát định kỳ nào" in response.content.decode()


def test_leader_sees_province_targets_and_status(client, cast, computed):
    _, r26 = computed
    client.force_login(cast.leader)
    response = client.get(reverse("dashboard"), {"round": r26.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tỉnh Quảng Ngãi" in body
    province = IndicatorValue.objects.get(round=r26, unit=unit("51"), indicator__code="poor_rate")
    assert f"{province.value:.2f}".replace(".", ",") in body
    # 2026 target 1.0–1.5 points for the province, provisional figures: on track or at risk
    row = next(r for r in response.context["targets"] if r.target.unit == unit("51"))
    assert (
        row.actual
        == IndicatorValue.objects.get(
            round=r26, unit=unit("51"), indicator__code="poor_rate_reduction"
        ).value
    )
    assert row.status.value in ("on_track", "at_risk")
    assert "Số liệu tạm thời" in body
    assert "Huyện Ba Tơ (cũ)" in body  # the breakdown by former district after the reform


def test_pages_never_compute(client, cast, computed, django_assert_max_num_queries):
    _, r26 = computed
    client.force_login(cast.leader)
    runs = RollupRun.objects.count()
    with django_assert_max_num_queries(40):
        client.get(reverse("dashboard"), {"round": r26.pk})
    assert RollupRun.objects.count() == runs


def test_district_staff_default_to_their_group_and_see_only_province_totals(client, cast, computed):
    """The province's own figures are published totals (indicators.visibility): district staff
    may open the province page, but its breakdown lists only their former district's group."""
    _, r26 = computed
    client.force_login(cast.district)
    response = client.get(reverse("dashboard"), {"round": r26.pk})
    assert response.context["owner"].group.code == "huyen-cu-535"
    province = unit("51")
    response = client.get(reverse("dashboard"), {"round": r26.pk, "unit": province.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Huyện Ba Tơ (cũ)" in body
    assert "Huyện Sơn Tịnh (cũ)" not in body
    assert "trong phạm vi của bạn" in body
    son_tinh = unit("21220")
    assert (
        client.get(reverse("dashboard"), {"round": r26.pk, "unit": son_tinh.pk}).status_code == 404
    )
    ba_to = unit("21484")
    assert client.get(reverse("dashboard"), {"round": r26.pk, "unit": ba_to.pk}).status_code == 200


def test_outsider_404(client, cast, computed):
    _, r26 = computed
    client.force_login(cast.outsider)
    group = UnitGroup.objects.get(code="huyen-cu-535")
    assert client.get(reverse("dashboard"), {"round": r26.pk, "group": group.pk}).status_code == 404
    assert (
        client.get(reverse("dashboard"), {"round": r26.pk, "unit": unit("21484").pk}).status_code
        == 404
    )


@pytest.mark.parametrize(
    "params", [{"round": "abc"}, {"round": 99999}, {"unit": "x"}, {"group": 99999}]
)
def test_bad_ids_404(client, cast, computed, params):
    client.force_login(cast.leader)
    assert client.get(reverse("dashboard"), params).status_code == 404


def test_2024_plan_targets_are_seeded(units, django_capture_on_commit_callbacks):
    services.indicators_load()
    targets_seed()
    plan = Target.objects.filter(year=2024)
    province = plan.get(indicator__code="poor_rate_reduction", unit__isnull=False)
    assert (province.low, province.high) == (Decimal("1.58"), Decimal("1.60"))
    assert province.unit.valid_to is not None  # the old province, before the reform
    mountain = plan.get(indicator__code="poor_rate_reduction", group__code="mien-nui")
    assert (mountain.low, mountain.high) == (6, 7)
    assert plan.get(indicator__code="projects_approved").low == 201
    assert targets_seed() == 0  # idempotent


def test_recompute_progress_admin_only(client, cast, computed, django_capture_on_commit_callbacks):
    _, r26 = computed
    client.force_login(cast.leader)
    assert client.post(reverse("rollup_start", args=[r26.pk])).status_code == 403
    client.force_login(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rollup_start", args=[r26.pk]))
    run = RollupRun.objects.latest("created_at")
    assert response["Location"] == reverse("rollup_run", args=[run.pk])
    page = client.get(reverse("rollup_run", args=[run.pk]))
    assert page.status_code == 200
    assert f"{run.total_parts}/{run.total_parts}" in page.content.decode()
    fragment = client.get(reverse("rollup_run", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()
    client.force_login(cast.leader)
    assert client.get(reverse("rollup_run", args=[run.pk])).status_code == 403


def test_map_is_scoped_and_coloured(client, cast, computed):
    _, r26 = computed
    client.force_login(cast.leader)
    svg = client.get(reverse("dashboard_map"), {"round": r26.pk}).content.decode()
    assert svg.startswith("<svg") and 'data-code="21484"' in svg
    client.force_login(cast.outsider)
    group = UnitGroup.objects.get(code="huyen-cu-535")
    assert (
        client.get(reverse("dashboard_map"), {"round": r26.pk, "group": group.pk}).status_code
        == 404
    )


def test_admin_edits_a_target_with_validation(client, cast, computed):
    cast.admin.is_superuser = True
    cast.admin.save()
    client.force_login(cast.admin)
    target = Target.objects.get(year=2026, unit=unit("51"), indicator__code="poor_rate_reduction")
    url = reverse("admin:indicators_target_change", args=[target.pk])
    data = {
        "indicator": target.indicator_id,
        "unit": target.unit_id,
        "group": "",
        "year": 2026,
        "kind": "range",
        "low": "2.00",
        "high": "1.00",  # low above high: refused by the database constraint's validation
        "source": "test",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.low == Decimal("1.00")
    data["high"] = "2.50"
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert (target.low, target.high) == (Decimal("2.00"), Decimal("2.50"))
    assert target.history.count() == 2


def test_years_are_not_formatted_as_numbers(client, cast, computed):
    _, r26 = computed
    client.force_login(cast.leader)
    body = client.get(reverse("dashboard"), {"round": r26.pk}).content.decode()
    assert "Mục tiêu năm 2026" in body
    assert "2.026" not in body and "2.025" not in body
