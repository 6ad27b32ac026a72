"""Chart data for the dashboards: plain dicts turned into JSON by the template (json_script) and
drawn by static/js/charts.js with Chart.js. Every chart has its table on the page too."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def _num(value):
    return float(value) if value is not None else None


def _series(label, rows, get) -> dict:
    return {"label": str(label), "data": [_num(get(r)) for r in rows]}


def _text(value) -> str | None:
    """A figure as the active language writes it (1,58 in Vietnamese, 1.58 in English)."""
    return number_format(value, 2, use_l10n=True) if value is not None else None


def _band(targets, *, unit_pk=None, group=False):
    """The poor-rate-reduction target of the owner (or of a group) as a band to draw, with its
    ends written in the active language's number format for the legend."""
    for row in targets:
        t = row.target
        if t.indicator.code != "poor_rate_reduction":
            continue
        if (group and t.group_id) or (not group and t.unit_id and t.unit_id == unit_pk):
            return {
                "low": _num(t.low),
                "high": _num(t.high),
                "low_text": _text(t.low),
                "high_text": _text(t.high),
                "label": t.group.name if group else t.unit.label,
            }
    return None


def dashboard_charts(context: dict, round_, owner) -> dict:
    rows, trend, profile = context["breakdown"], context["trend"], context["profile"]
    bands = [
        _band(context["targets"], unit_pk=owner.unit.pk if owner.unit else None),
        _band(context["targets"], group=True),
    ]
    return {
        "charts": {
            "breakdown": {
                "labels": [
                    r["owner"].label if r["kind"] == "unit" else r["owner"].name for r in rows
                ],
                "series": [
                    _series(_("Tỷ lệ hộ nghèo (%)"), rows, lambda r: r["values"].get("poor_rate")),
                    _series(
                        _("Mức giảm so với kỳ trước (điểm %)"),
                        rows,
                        lambda r: r["values"].get("poor_rate_reduction"),
                    ),
                ],
                "bands": [b for b in bands if b],
            },
            "trend": {
                "labels": [str(r["round"].year) for r in trend],
                "series": [
                    _series(_("Tỷ lệ hộ nghèo (%)"), trend, lambda r: r["values"].get("poor_rate")),
                    _series(
                        _("Tỷ lệ hộ cận nghèo (%)"),
                        trend,
                        lambda r: r["values"].get("near_poor_rate"),
                    ),
                    _series(
                        _("Tỷ lệ nghèo đa chiều (%)"),
                        trend,
                        lambda r: r["values"].get("multidim_rate"),
                    ),
                ],
            },
            "profile": {
                "labels": [f"{p['indicator'].number}. {p['name']}" for p in profile],
                "series": [
                    _series(_("Hộ nghèo thiếu hụt (%)"), profile, lambda p: p["share"]),
                    _series(_("Hộ cận nghèo thiếu hụt (%)"), profile, lambda p: p["near_share"]),
                ],
            },
        }
    }
