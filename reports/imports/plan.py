"""What confirming an import will do, household by household, and the preview of it.

An ``Item`` is one household of the file as the forms cleaned it; the checks give it an action:
``new`` (register it), ``enter`` (its pending or carried-over survey gets entered), ``change``
(its survey differs from the file) or ``same`` (nothing differs: not written, so importing the
same file twice writes nothing the second time).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from areas.models import Unit
from areas.text import fold
from households import facts
from households.forms import HOUSEHOLD_FIELDS
from households.models import Household, Member, ReviewRound, Survey
from households.services import MEMBER_MODEL_FIELDS

from .reader import Row

NEW, ENTER, CHANGE, SAME = "new", "enter", "change", "same"
MEMBER_FIELDS = tuple(f for f in MEMBER_MODEL_FIELDS if f != "id")


@dataclass
class Item:
    """One household of the file, as the forms cleaned it, and what confirming will do."""

    row: Row
    code: str
    commune: Unit | None = None
    household_data: dict[str, Any] = field(default_factory=dict)
    survey_data: dict[str, Any] = field(default_factory=dict)
    members: list[tuple[Row, dict[str, Any]]] = field(default_factory=list)
    ok: bool = True
    action: str = ""
    survey_id: int | None = None
    survey_version: int = 0
    household_version: int = 0
    previous_class: str = ""
    predicted_class: str = ""
    changes: list[str] = field(default_factory=list)
    member_ids: list[int | None] = field(default_factory=list)
    members_removed: int = 0
    members_changed: int = 0
    token: str = ""  # the pre-filled workbook's version cell (``version_token``), if any
    unanswered: bool = False  # a pre-filled row left without any answer of the survey

    def members_for_service(self) -> list[dict[str, Any]]:
        return [{**data, "id": pk} for (_row, data), pk in zip(self.members, self.member_ids)]  # noqa: B905

    @property
    def head_name(self) -> str:
        return next((m["full_name"] for _r, m in self.members if m["relation"] == "head"), "")


@dataclass
class Plan:
    round_: ReviewRound
    items: list[Item]
    on_list: dict[int, int]  # commune id -> entries on the round's list before the import

    def to_write(self) -> list[Item]:
        return [item for item in self.items if item.action != SAME]

    def digest(self) -> str:
        """What confirming relies on: the action and the versions seen, row by row. Confirming
        re-checks the file and refuses to write when this differs (someone saved meanwhile)."""
        lines = (
            f"{i.code}|{i.action}|{i.survey_id}|{i.survey_version}|{i.household_version}"
            for i in self.items
        )
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def version_token(survey_version: int, household_version: int) -> str:
    """The pre-filled workbook's "Phiên bản" cell: the survey's and the household's versions as
    one token. Letters around the numbers, so that no spreadsheet reads it as a number or a
    date ("12.3" would lose a trailing zero, "12/3" become a date)."""
    return f"S{survey_version}-H{household_version}"


def household_changes(household: Household, item: Item) -> list[str]:
    return [
        str(Household._meta.get_field(name).verbose_name)
        for name in HOUSEHOLD_FIELDS
        if getattr(household, name) != item.household_data[name]
    ]


def survey_changes(survey: Survey, item: Item) -> list[str]:
    data = dict(item.survey_data)
    if data["income_per_person"] is None:  # saved from the household total, as the service does
        data["income_per_person"] = facts.income_per_person(
            income_per_person=None,
            household_income=data["household_income"],
            members=len(item.members),
        )
    return [
        str(Survey._meta.get_field(name).verbose_name)
        for name, value in data.items()
        if getattr(survey, name) != value
    ]


def match_members(incoming: list[dict], current: list[dict]) -> tuple[list[int | None], list[dict]]:
    """Pair the file's members with the household's current ones: by citizen ID, then by name
    and birth date, then by a name that only one member on each side has. Unpaired current
    members leave the household (kept on record, as when a row is removed on the survey page)."""
    remaining = {m["id"]: m for m in current}
    ids: list[int | None] = [None] * len(incoming)
    by_cid = {m["citizen_id"]: m["id"] for m in current if m["citizen_id"]}
    for i, m in enumerate(incoming):
        pk = by_cid.get(m["citizen_id"]) if m["citizen_id"] else None
        if pk in remaining:
            ids[i] = pk
            del remaining[pk]

    def pair(same) -> None:
        for i, m in enumerate(incoming):
            if ids[i] is not None:
                continue
            candidates = [pk for pk, c in remaining.items() if same(c, m)]
            rivals = [j for j, o in enumerate(incoming) if ids[j] is None and same(o, m)]
            if len(candidates) == 1 and len(rivals) == 1:
                ids[i] = candidates[0]
                del remaining[candidates[0]]

    pair(
        lambda a, b: (
            fold(a["full_name"]) == fold(b["full_name"]) and a["birth_date"] == b["birth_date"]
        )
    )
    pair(lambda a, b: fold(a["full_name"]) == fold(b["full_name"]))
    return ids, list(remaining.values())


def summarize(plan: Plan, *, sample: int = 30) -> dict:
    """What the preview page shows: counts, per commune, a sample of the writes."""
    items = plan.items
    counts = Counter(i.action for i in items)
    written = plan.to_write()
    by_commune: dict[int, dict] = {}
    for item in items:
        row = by_commune.setdefault(
            item.commune.pk,
            {"commune": f"{item.commune.label} ({item.commune.code})", NEW: 0, ENTER: 0,
             CHANGE: 0, SAME: 0, "on_list": plan.on_list.get(item.commune.pk, 0)},
        )  # fmt: skip
        row[item.action] += 1
    for row in by_commune.values():
        in_file = row[ENTER] + row[CHANGE] + row[SAME]
        row["absent"] = max(row["on_list"] - in_file, 0)
    return {
        "counts": {a: counts.get(a, 0) for a in (NEW, ENTER, CHANGE, SAME)},
        "members": {
            "added": sum(i.member_ids.count(None) for i in written),
            "removed": sum(i.members_removed for i in written),
            "changed": sum(i.members_changed for i in written),
        },
        "classes": dict(Counter(i.predicted_class for i in written)),
        "communes": sorted(by_commune.values(), key=lambda r: r["commune"]),
        "absent": sum(r["absent"] for r in by_commune.values()),
        "sample": [
            {
                "row": i.row.number,
                "code": i.code,
                "head": i.head_name,
                "commune": i.commune.label,
                "action": i.action,
                "changes": i.changes,
                "previous": i.previous_class,
                "predicted": i.predicted_class,
            }
            for i in written[:sample]
        ],
        "digest": plan.digest(),
    }


# --- the checked rows, kept between the check and the confirm -----------------------------------

STORED_VERSION = 1


def dump(plan: Plan) -> bytes:
    """The file's rows as the forms cleaned them (gzip JSON), so that confirming does not read
    and clean the workbook again: it re-checks them against the database (``checks.recheck``)."""
    rows = [
        {
            "row": i.row.number,
            "code": i.code,
            "commune": i.commune.code,
            "household": i.household_data,
            "survey": i.survey_data,
            "members": [[row.number, data] for row, data in i.members],
            "token": i.token,
            "unanswered": i.unanswered,
        }
        for i in plan.items
    ]
    data = {"version": STORED_VERSION, "digest": plan.digest(), "items": rows}
    return gzip.compress(json.dumps(data, cls=DjangoJSONEncoder).encode(), compresslevel=5)


def load(content: bytes) -> tuple[str, list[Item]]:
    """(the digest at the check, the items) from ``dump``; values back to their model types.
    Raises ``ValueError`` for anything else (then the workbook is checked again)."""
    try:
        data = json.loads(gzip.decompress(content))
    except (OSError, EOFError, json.JSONDecodeError) as exc:
        raise ValueError("not a stored plan") from exc
    if not isinstance(data, dict) or data.get("version") != STORED_VERSION:
        raise ValueError("not a stored plan of this version")
    items = [
        Item(
            row=Row(number=i["row"], values={"commune": i["commune"]}),
            code=i["code"],
            household_data=_typed(Household, i["household"]),
            survey_data=_typed(Survey, i["survey"]),
            members=[(Row(number=n, values={}), _typed(Member, d)) for n, d in i["members"]],
            token=i.get("token", ""),
            unanswered=i.get("unanswered", False),
        )
        for i in data["items"]
    ]
    return data["digest"], items


def _typed(model, values: dict[str, Any]) -> dict[str, Any]:
    """JSON's strings back to dates and decimals (the other values are JSON's own types)."""
    typed = dict(values)
    opts = model._meta
    for name, value in values.items():
        if isinstance(value, str) and name in _NOT_JSON[model]:
            typed[name] = opts.get_field(name).to_python(value)
    return typed


_NOT_JSON = {
    model: {
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, (models.DateField, models.DecimalField))  # dates, times too
    }
    for model in (Household, Member, Survey)
}
