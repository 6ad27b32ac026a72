"""The monitoring lines of the home page's to-do list (``povertyportal/todo.py`` calls these).
One query per line: the responsible communes of the user's scope today."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from areas.scope import Capability


def _url(**params) -> str:
    from urllib.parse import urlencode

    return f"{reverse('recommendation_list')}?{urlencode(params)}"


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def officer_items(scope, today: dt.date, item) -> list:
    """Recommendations the officer's communes have still to carry out, the oldest due date;
    urgent once that date has passed."""
    from .selectors import pending_for_communes

    found = pending_for_communes(scope, Capability.ENTER)
    if not found["n"]:
        return []
    oldest = found["oldest"]
    late = oldest < today
    detail = (_("Hạn sớm nhất %(day)s: đã quá hạn.") if late else _("Hạn sớm nhất %(day)s.")) % {
        "day": _day(oldest)
    }
    return [
        item(
            found["n"],
            _("Kiến nghị sau kiểm tra, giám sát chưa thực hiện"),
            _url(state="pending"),
            detail=detail,
            urgent=late,
        )
    ]


def reviewer_items(scope, today: dt.date, item) -> list:
    """Reported done, waiting for the district's confirmation; overdue in the district's group."""
    from .selectors import overdue_for_communes, reported_for_communes

    items = []
    reported = reported_for_communes(scope, Capability.REVIEW)
    if reported["n"]:
        items.append(
            item(
                reported["n"],
                _("Kiến nghị xã báo cáo đã thực hiện, chờ xác nhận"),
                _url(state="reported"),
                since=reported["since"],
            )
        )
    overdue = overdue_for_communes(scope, Capability.REVIEW, today)
    if overdue["n"]:
        items.append(
            item(
                overdue["n"],
                _("Kiến nghị sau kiểm tra, giám sát quá hạn"),
                _url(state="overdue"),
                detail=_("Hạn sớm nhất %(day)s.") % {"day": _day(overdue["oldest"])},
                urgent=True,
            )
        )
    return items


def leader_items(scope, today: dt.date, item) -> list:
    """Overdue recommendations over the leader's whole scope (the province)."""
    from .selectors import overdue_for_communes

    overdue = overdue_for_communes(scope, Capability.SEE, today)
    if not overdue["n"]:
        return []
    return [
        item(
            overdue["n"],
            _("Kiến nghị sau kiểm tra, giám sát quá hạn trên địa bàn"),
            _url(state="overdue"),
            detail=_("Hạn sớm nhất %(day)s.") % {"day": _day(overdue["oldest"])},
            urgent=True,
        )
    ]
