"""The dashboard's page body, chart data and map: built from stored values, cached per rollup.

What a user sees on a dashboard depends on the round, the unit or group it is about (checked
against the user's scope before anything is read from the cache), the language, and the user's
roles and visible units (the targets table lists every target the user may see). A cache entry is
keyed by all of these and by the version of the stored values (``freshness.values_version``), so
a new rollup or a target edit makes new keys and the old entries are never read again. Only users
with the same roles over the same units share an entry.

The cached body is rendered without the request: it holds no CSRF token, no user name, no
message; the page around it (``dashboard.html``) is rendered per request.
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from areas.scope import Capability, Scope
from areas.services import NEW_TREE_FROM
from households.models import ReviewRound

from . import selectors
from .charts import dashboard_charts
from .maps import choropleth_svg
from .selectors import Owner

HEADLINE = ["households", "poor_households", "poor_rate", "poor_rate_reduction",
            "near_poor_households", "near_poor_rate", "multidim_rate", "em_poor_rate",
            "em_poor_rate_reduction", "persons", "poor_persons"]  # fmt: skip
BREAKDOWN = ["households", "poor_households", "poor_rate", "poor_rate_reduction", "near_poor_rate"]
TREND = ["poor_rate", "near_poor_rate", "multidim_rate"]

# A backstop only: the version changes with every rollup and target edit; what it does not see
# (a unit renamed, the indicator catalogue's names changed) shows within this time.
TIMEOUT = 60 * 60


def cache_key(kind: str, round_: ReviewRound, owner: Owner, scope: Scope, version: str) -> str:
    """Everything that changes what the user sees, after the scope check has passed."""
    who = "|".join([*sorted(scope.roles), *scope.paths.get(Capability.SEE, ())])
    who = hashlib.sha256(who.encode()).hexdigest()[:16]
    return f"dashboard:{kind}:{version}:{round_.pk}:{owner.query}:{get_language()}:{who}"


def etag(key: str) -> str:
    """A strong validator: the key holds the version, so equal keys mean equal content. Also
    the ``v`` of the chart data's and the map's URLs on the page."""
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def page_data(
    round_: ReviewRound, owner: Owner, scope: Scope, rounds: list[ReviewRound], version: str
) -> dict:
    """{"as_of", "provisional", "body" (HTML), "charts" (JSON text)}, from the cache if there."""
    key = cache_key("page", round_, owner, scope, version)
    data = cache.get(key)
    if data is None:
        # The chart data and the map are loaded after the page, at URLs naming their content
        # (their ETag): a browser keeps them until a rollup changes the version, asking nothing.
        sources = {
            "charts_v": etag(key).strip('"'),
            "map_v": etag(cache_key("map", round_, owner, scope, version)).strip('"'),
        }
        data = _page_data(round_, owner, scope, rounds, sources)
        cache.set(key, data, TIMEOUT)
    return data


def _page_data(round_, owner: Owner, scope: Scope, rounds: list[ReviewRound], sources) -> dict:
    values = selectors.values_for(round_, owner)
    shown = selectors.breakdown_of(round_, owner, BREAKDOWN)
    context = sources | {
        "round": round_,
        "owner": owner,
        "values": values,
        "headline": [values[c] for c in HEADLINE if c in values],
        "targets": selectors.targets_for(round_, scope, owner),
        "breakdown": shown.rows,
        "breakdown_hidden": _hidden_note(shown),
        "trend": selectors.trend(owner, TREND, rounds=rounds),
        "profile": selectors.deprivation_profile(round_, values),
        "flow": selectors.transition_flow(values),
        "program": [v for v in values.values() if v.indicator.group == "program"],
        "show_map": round_.reference_date >= NEW_TREE_FROM,
    }
    charts = dashboard_charts(context, round_, owner)["charts"]
    return {
        "as_of": getattr(round_, "values_at", None),
        "provisional": selectors.provisional(round_),
        # without the request: nothing of the user (CSRF token, name, messages) is cached
        "body": render_to_string("indicators/_dashboard_body.html", context),
        "charts": json.dumps(charts, ensure_ascii=False),
    }


def _hidden_note(shown: selectors.Breakdown) -> str:
    """ "Chỉ hiện N/M … trong phạm vi của bạn" when the viewer may not see every row."""
    if not shown.hidden:
        return ""
    words = {"shown": len(shown.rows), "total": shown.total}
    if shown.kind == "unit" and shown.level == "commune":
        return _("Chỉ hiện %(shown)s/%(total)s xã trong phạm vi của bạn.") % words
    return _("Chỉ hiện %(shown)s/%(total)s địa bàn trong phạm vi của bạn.") % words


def map_svg(round_: ReviewRound, owner: Owner, scope: Scope, version: str) -> str:
    key = cache_key("map", round_, owner, scope, version)
    svg = cache.get(key)
    if svg is None:
        rows = selectors.commune_values(round_, owner, "poor_rate")
        base = reverse("dashboard") + f"?round={round_.pk}&unit="
        svg = choropleth_svg(
            {code: value for code, (_pk, value) in rows.items()},
            title=_("Tỷ lệ hộ nghèo theo xã: %(owner)s") % {"owner": owner.label},
            legend_title=_("Tỷ lệ hộ nghèo (%)"),
            link=lambda code: f"{base}{rows[code][0]}" if code in rows else None,
        )
        cache.set(key, svg, TIMEOUT)
    return svg
