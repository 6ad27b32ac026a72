"""The dashboard is cached per rollup, language, owner and scope; its map and chart data answer
conditional GETs; no dashboard request reads a table that grows with households."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import UnitGroup
from households.models import Survey
from indicators import services
from indicators.models import IndicatorValue, Target
from tests.conftest import unit
from tests.households.factories import POOR_FIELDS, member, register, save
from tests.indicators import test_dashboard, test_rollups
from tests.indicators.test_rollups import run_all

# the fixtures of the dashboard tests: two rounds on the new tree, rolled up, with the targets
two_rounds, computed = test_rollups.two_rounds, test_dashboard.computed

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
HOUSEHOLD_TABLES = ("households_household", "households_survey", "households_member",
                    "households_surveydeprivation")  # fmt: skip


def page(client, **params):
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    return response


def html(response) -> str:
    """The page without its per-response CSRF token (the logout form masks it anew each time)."""
    return CSRF.sub("", response.content.decode())


def province_value(round_, code="poor_households"):
    return IndicatorValue.objects.get(round=round_, unit=unit("51"), indicator__code=code)


def kpi(body: str, code: str) -> str:
    match = re.search(rf'data-testid="kpi-{code}">([^<]*)<', body)
    return match.group(1).strip()


def test_a_hit_returns_the_same_html_without_reading_values(client, cast, computed):
    _, r26 = computed
    client.force_login(cast.leader)
    first = page(client, round=r26.pk)
    with CaptureQueriesContext(connection) as hit:
        second = page(client, round=r26.pk)
    assert html(second) == html(first)
    sqls = [q["sql"] for q in hit.captured_queries]
    assert not [s for s in sqls if '"indicators_target"' in s]  # the targets were not read
    # the stored values only through the version: the rounds with their freshness
    (version,) = [s for s in sqls if '"indicators_indicatorvalue"' in s]
    assert '"households_reviewround"' in version
    assert len(sqls) < 12


def test_a_rollup_of_any_round_invalidates(
    client, cast, computed, django_capture_on_commit_callbacks
):
    r25, r26 = computed
    client.force_login(cast.leader)
    before = kpi(html(page(client, round=r26.pk)), "poor_households")
    # A value changed behind the rollup's back (its stamp kept) is not seen: the page is cached.
    IndicatorValue.objects.filter(pk=province_value(r26).pk).update(value=777)
    assert kpi(html(page(client, round=r26.pk)), "poor_households") == before
    # A rollup of another round (the page's trend reads it) makes a new version.
    with django_capture_on_commit_callbacks(execute=True):
        services.rollup_start(round_=r25)
    assert kpi(html(page(client, round=r26.pk)), "poor_households") == "777"


def test_a_survey_saved_shows_after_its_incremental_rollup(
    client, cast, computed, django_capture_on_commit_callbacks
):
    _, r26 = computed
    client.force_login(cast.leader)
    poor = province_value(r26).value
    assert kpi(html(page(client, round=r26.pk)), "poor_households") == f"{poor:.0f}"
    with django_capture_on_commit_callbacks() as callbacks:
        h = register(cast.admin, unit("21484"), members=[member("Hộ mới")])
        save(cast.admin, Survey.objects.get(household=h, round=r26), **POOR_FIELDS)
    run_all(callbacks)  # the incremental rollup of Ba Tơ
    assert province_value(r26).value == poor + 1
    assert kpi(html(page(client, round=r26.pk)), "poor_households") == f"{poor + 1:.0f}"


def test_a_target_edit_invalidates(client, cast, computed):
    _, r26 = computed
    client.force_login(cast.leader)
    assert "Căn cứ đã sửa" not in html(page(client, round=r26.pk))
    target = Target.objects.get(year=2026, unit=unit("51"), indicator__code="poor_rate_reduction")
    target.source = "Căn cứ đã sửa"
    target.save()  # as the admin form does: a history row
    assert "Căn cứ đã sửa" in html(page(client, round=r26.pk))


def test_languages_do_not_share_entries(client, cast, computed):
    _, r26 = computed
    client.force_login(cast.leader)
    assert '<h2 class="h5">Mục tiêu năm 2026</h2>' in html(page(client, round=r26.pk))
    client.cookies["django_language"] = "en"
    english = html(page(client, round=r26.pk))
    assert '<h2 class="h5">Targets for 2026</h2>' in english
    assert "Mục tiêu năm 2026</h2>" not in english


def test_scopes_never_share_entries(client, cast, computed):
    """The leader and the district staff both open the province; the leader's page (cached
    first) breaks it down by every former district, which the district staff may not see
    (indicators.visibility: only their own group's row)."""
    _, r26 = computed
    group = UnitGroup.objects.get(code="huyen-cu-527")
    client.force_login(cast.leader)
    leader = html(page(client, round=r26.pk, unit=unit("51").pk))
    other_link = f'group={group.pk}">Huyện Sơn Tịnh (cũ)</a>'
    assert other_link in leader
    client.force_login(cast.district)
    district = html(page(client, round=r26.pk, unit=unit("51").pk))
    assert other_link not in district
    assert "Huyện Ba Tơ (cũ)" in district


def test_roles_never_share_entries(client, cast, computed):
    """The administrator and the leader see the same province; only the administrator has the
    recompute button, and neither page carries the other's CSRF token or name."""
    _, r26 = computed
    client.force_login(cast.admin)
    admin_page = page(client, round=r26.pk).content.decode()
    assert reverse("rollup_start", args=[r26.pk]) in admin_page
    client.force_login(cast.leader)
    leader_page = page(client, round=r26.pk).content.decode()
    assert reverse("rollup_start", args=[r26.pk]) not in leader_page
    assert "Admin" not in leader_page  # the administrator's name (first_name) is not cached


def test_outsiders_are_refused_before_the_cache(client, cast, computed):
    _, r26 = computed
    group = UnitGroup.objects.get(code="huyen-cu-535")
    client.force_login(cast.district)
    page(client, round=r26.pk, group=group.pk)
    client.force_login(cast.outsider)
    params = {"round": r26.pk, "group": group.pk}
    for name in ("dashboard", "dashboard_map", "dashboard_charts"):
        assert client.get(reverse(name), params).status_code == 404


@pytest.mark.parametrize("name", ["dashboard_map", "dashboard_charts"])
def test_conditional_get(client, cast, computed, name, django_capture_on_commit_callbacks):
    _, r26 = computed
    client.force_login(cast.leader)
    url = reverse(name)
    first = client.get(url, {"round": r26.pk})
    assert first.status_code == 200 and first["ETag"]
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    again = client.get(url, {"round": r26.pk}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    other = client.get(url, {"round": r26.pk}, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200 and other.content == first.content
    with django_capture_on_commit_callbacks(execute=True):
        services.rollup_start(round_=r26)
    after = client.get(url, {"round": r26.pk}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]


def test_chart_data(client, cast, computed):
    _, r26 = computed
    client.force_login(cast.leader)
    body = html(page(client, round=r26.pk))
    assert f'data-src="{reverse("dashboard_charts")}?round={r26.pk}&amp;unit=' in body
    data = json.loads(client.get(reverse("dashboard_charts"), {"round": r26.pk}).content)
    assert set(data) == {"breakdown", "trend", "profile"}
    rate = province_value(r26, "poor_rate").value
    assert float(rate) in data["trend"]["series"][0]["data"]


def dashboard_queries(client, r26) -> list[list[str]]:
    """The SQL of the page, its chart data and its map, each on a miss then on a hit."""
    runs = []
    for _attempt in ("miss", "hit"):
        for name in ("dashboard", "dashboard_charts", "dashboard_map"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name), {"round": r26.pk}).status_code == 200
            runs.append([q["sql"] for q in queries.captured_queries])
    return runs


def test_queries_do_not_grow_with_households(
    client, cast, computed, django_capture_on_commit_callbacks
):
    _, r26 = computed
    client.force_login(cast.leader)
    small = dashboard_queries(client, r26)
    with django_capture_on_commit_callbacks() as callbacks:
        for i in range(12):
            commune = unit(("21484", "21220")[i % 2])  # Ba Vinh is accepted: locked
            h = register(
                cast.admin,
                commune,
                members=[member(f"Hộ {i}"), member(f"Con {i}", relation="child")],
            )
            save(cast.admin, Survey.objects.get(household=h, round=r26), **POOR_FIELDS)
    run_all(callbacks)
    larger = dashboard_queries(client, r26)  # a new version: misses first, then hits
    assert [len(q) for q in larger] == [len(q) for q in small]
    for sql in (s for queries in larger for s in queries):
        assert not any(f'"{table}"' in sql for table in HOUSEHOLD_TABLES), sql


def sources(body: str) -> list[str]:
    """The chart data's and the map's URLs as the page gives them."""
    return [
        u.replace("&amp;", "&")
        for u in re.findall(r'(?:data-src|hx-get)="([^"]+&amp;v=[^"]+)"', body)
    ]


def test_the_page_names_its_chart_data_and_map_by_version(
    client, cast, computed, django_capture_on_commit_callbacks
):
    """At the page's URLs a browser keeps the chart data and the map without asking again;
    a rollup gives the page new URLs."""
    _, r26 = computed
    client.force_login(cast.leader)
    urls = sources(html(page(client, round=r26.pk)))
    assert len(urls) == 2
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert (
            "max-age=86400" in response["Cache-Control"] and "private" in response["Cache-Control"]
        )
        assert url.endswith("v=" + response["ETag"].strip('"'))
        stale = client.get(url.rsplit("&v=", 1)[0] + "&v=old")
        assert "no-cache" in stale["Cache-Control"] and "max-age" not in stale["Cache-Control"]
    with django_capture_on_commit_callbacks(execute=True):
        services.rollup_start(round_=r26)
    assert set(sources(html(page(client, round=r26.pk)))).isdisjoint(urls)


def test_every_write_of_values_stamps_the_root(
    client, cast, computed, django_capture_on_commit_callbacks
):
    """The version reads the root unit's values only (freshness.py): each write of a round's
    values (full, incremental, program refresh) must restamp them with its own time."""
    from django.db.models import Max

    from indicators.freshness import dashboard_rounds_with_freshness

    def stamps(round_):
        values = IndicatorValue.objects.filter(round=round_)
        newest = values.aggregate(at=Max("computed_at"))["at"]
        (annotated,) = [r for r in dashboard_rounds_with_freshness() if r.pk == round_.pk]
        return newest, annotated.values_at

    _, r26 = computed
    newest, root = stamps(r26)
    assert newest == root
    with django_capture_on_commit_callbacks() as callbacks:
        h = register(cast.admin, unit("21220"), members=[member("Hộ mới")])
        save(cast.admin, Survey.objects.get(household=h, round=r26), **POOR_FIELDS)
    run_all(callbacks)  # an incremental rollup of Sơn Tịnh
    after, root_after = stamps(r26)
    assert after > newest and root_after == after
    # a program refresh (a project, course or employment record changed) rewrites lines too
    services.program_refresh(commune_ids=[unit("21484").pk], staff=True)
    refreshed, root_refreshed = stamps(r26)
    assert refreshed > after and root_refreshed == refreshed
