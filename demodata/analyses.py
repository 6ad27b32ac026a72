"""Demo saved analyses: the leader and district staff each find one pinned on their home page.
Written through ``indicators.services.saved_analysis_create``; added once (a rerun adds none)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import get_user_model

from households.models import ReviewRound
from indicators.models import SavedAnalysis
from indicators.services import saved_analysis_create

DEMO = (
    # (username, name, indicators, rows)
    ("lanhdao.tinh", "Tỷ lệ hộ nghèo, cận nghèo theo huyện cũ", ("poor_rate", "near_poor_rate"),
     "group:former_district"),
    ("canbo.huyen", "Tỷ lệ hộ nghèo các xã", ("poor_rate", "poor_households"), "children"),
)  # fmt: skip


def demo_analyses_seed() -> int:
    rounds = list(
        ReviewRound.objects.filter(kind="periodic").order_by("year").values_list("pk", flat=True)
    )
    if not rounds:
        return 0
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=[d[0] for d in DEMO])
    }
    made = 0
    for username, name, codes, rows in DEMO:
        user = users.get(username)
        if user is None or SavedAnalysis.objects.filter(user=user).exists():
            continue
        query = urlencode(
            [("indicators", c) for c in codes]
            + [("rows", rows), ("columns", "rounds")]
            + [("rounds", pk) for pk in rounds[-4:]]
        )
        saved_analysis_create(by=user, name=name, query=query, pinned=True)
        made += 1
    return made
