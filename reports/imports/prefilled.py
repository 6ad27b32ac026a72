"""The commune workbook pre-filled with what the portal holds (issue 14, part 3).

The import template's own layout (``template.build``: sheets, headers, drop-downs, "Hướng dẫn"),
with one row per household on the round's list of one commune and one row per current member,
written the way ``reader`` reads cells back: labels for choices, Có/Không, real dates shown
dd/mm/yyyy, codes and citizen IDs as text. Re-imported untouched, every row is "same" and
nothing is written; an edited row is "change"; a row whose "Phiên bản" token
(``plan.version_token``) is not the current one, because someone saved the survey or household
in the portal after the download, is refused as a conflict and the whole file with it
(``checks``).

Answers: a surveyed entry's own; a pending or carried-over entry's are the household's last
surveyed answers (as the survey page pre-fills them, ``checks.last_surveyed``). Re-imported
untouched they are "same" (the checks compare such a row with those answers, not with the empty
entry); edited, the entry is entered. A never-surveyed entry's row has blank answers: left blank
it is "same" too.

Citizen IDs are in full: only users who may enter data for the commune download it, and they see
full IDs there (``households.privacy``), so no masked ID is ever written or read back as a change.

Built as an export job (``reports.exports.registry``, key ``prefilled``): a commune of several
thousand households takes longer than a request should, and the job records who exported the
personal data. Reads are set-based: the list, the answers' sources and the members in a few
queries per ``CHUNK`` of households.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import Unit
from areas.scope import user_scope
from households.facts import split_codes
from households.forms import HOUSEHOLD_FIELDS
from households.models import Member, ReviewRound, SurveyStatus
from households.selectors import round_communes_for_user, round_scope, survey_list_for_round
from households.services import MEMBER_MODEL_FIELDS
from indicators.selectors import Owner

from . import columns as C
from . import template
from .checks import last_surveyed
from .forms import open_rounds
from .plan import version_token

TITLE = gettext_lazy("Tệp nhập phiếu có sẵn dữ liệu của xã")
CHUNK = 1000
SURVEY_FIELDS = (
    "income_per_person",
    "household_income",
    "b1_score",
    "walls_durable",
    "columns_durable",
    "roof_durable",
    "floor_area",
    "water_source",
    "has_hygienic_latrine",
    "uses_internet",
    "devices",
    "uses_digital_services",
    "waste_collected",
    "causes",
    "needs",
    "member_count",
)


def context(user, params: Mapping):
    """The round (open) and the commune (one the user may enter data for at the round's date
    and today) of the request, as an export context; 404 otherwise."""
    from reports.exports.common import ExportContext  # the exports import this module

    try:
        round_ = open_rounds().get(pk=int(params.get("round") or 0))
        commune = Unit.objects.communes().get(pk=int(params.get("unit") or 0))
    except (ValueError, TypeError, ReviewRound.DoesNotExist, Unit.DoesNotExist):
        raise Http404 from None
    scope = user_scope(user)
    if commune not in template.enterable_communes(user, round_):
        raise Http404
    return ExportContext(
        user=user, round=round_, owner=Owner(unit=commune, seen_by=scope), scope=scope,
        params=params,
    )  # fmt: skip


def entries(ctx):
    commune = ctx.owner.unit
    scope = round_scope(ctx.user, ctx.round, user_scope(ctx.user))
    communes = round_communes_for_user(scope, within=[commune.pk])
    return survey_list_for_round(ctx.round, communes)


def total(ctx) -> int:
    return entries(ctx).count()


def write(ctx, out, progress: Callable[[int], None] | None = None) -> None:
    households, members = rows(ctx, progress)
    out.write(
        template.build(
            user=ctx.user, round_=ctx.round, rows=(households, members), commune=ctx.owner.unit
        )
    )


def name(ctx) -> str:
    commune = ctx.owner.unit
    return f"nhap-phieu-{commune.code}-{ctx.round.year}-{ctx.round.pk}.xlsx"


def title(ctx) -> str:
    return f"{TITLE} · {ctx.owner.unit.label} · {ctx.round}"


def ids_shown(ctx) -> bool:
    """Whether the workbook holds a full citizen ID (for the access log)."""
    return (
        Member.objects.filter(household__in=entries(ctx).values("household_id"), is_current=True)
        .exclude(citizen_id="")
        .exists()
    )


# --- rows ------------------------------------------------------------------------------------


class _Labels:
    """Code -> label of every list column, resolved once (in the job's language)."""

    def __init__(self):
        self.by_key = {
            column.key: {code: str(label) for code, label in column.choice_list()}
            for column in (*C.HOUSEHOLD_COLUMNS, *C.MEMBER_COLUMNS)
            if column.kind in (C.CHOICE, C.CHOICES)
        }
        self.yes, self.no = _("Có"), _("Không")

    def one(self, key: str, code: str) -> str:
        return self.by_key[key].get(code, code) if code else ""

    def many(self, key: str, codes: str) -> str:
        return "; ".join(self.one(key, c) for c in split_codes(codes))

    def flag(self, value) -> str:
        return self.yes if value else self.no


def rows(ctx, progress=None) -> tuple[list[dict], list[dict]]:
    """(household rows, member rows) as dicts keyed by column key, in the reader's terms."""
    labels = _Labels()
    standard = ctx.round.get_standard()
    used = {c.key for c in C.columns_for(C.HOUSEHOLD_COLUMNS, standard)}
    commune = ctx.owner.unit
    listed = (
        entries(ctx)
        .order_by("household__village", "household__code")
        .values(
            "pk", "status", "version", "household_id", "household__code", "household__version",
            *(f"household__{f}" for f in HOUSEHOLD_FIELDS),
            *SURVEY_FIELDS,
        )
    )  # fmt: skip
    households, members = [], []
    chunk: list[dict] = []
    for entry in listed.iterator(chunk_size=CHUNK):
        chunk.append(entry)
        if len(chunk) == CHUNK:
            _chunk(ctx.round, chunk, commune, labels, used, households, members)
            chunk = []
            if progress:
                progress(len(households))
    if chunk:
        _chunk(ctx.round, chunk, commune, labels, used, households, members)
    if progress:
        progress(len(households))
    return households, members


def _chunk(round_, chunk, commune, labels, used, households, members) -> None:
    ids = [e["household_id"] for e in chunk]
    earlier = {
        pk: {name: getattr(survey, name) for name in SURVEY_FIELDS}
        for pk, survey in last_surveyed(
            round_, [e["household_id"] for e in chunk if _needs_source(e)]
        ).items()
    }
    registry: dict[int, list[dict]] = defaultdict(list)
    for m in (
        Member.objects.filter(household_id__in=ids, is_current=True)
        .order_by("household_id", "pk")
        .values("household_id", *MEMBER_MODEL_FIELDS)
    ):
        registry[m["household_id"]].append(m)
    for e in chunk:
        code = e["household__code"]
        source = e if not _needs_source(e) else earlier.get(e["household_id"])
        row = {
            "commune": commune.code,
            "code": code,
            C.ROW_VERSION: version_token(e["version"], e["household__version"]),
        }
        for name in HOUSEHOLD_FIELDS:
            value = e[f"household__{name}"]
            row[name] = labels.flag(value) if isinstance(value, bool) else value
        current = registry.get(e["household_id"], [])
        if source is not None:
            row.update(_answers(source, labels, used, len(current)))
        households.append(row)
        for m in current:
            members.append(_member(code, m, labels))


def _needs_source(entry: dict) -> bool:
    return entry["status"] != SurveyStatus.SURVEYED


def _answers(source: dict, labels: _Labels, used: set[str], persons: int) -> dict:
    row = {
        name: labels.flag(source[name])
        for name in (
            "walls_durable", "columns_durable", "roof_durable", "has_hygienic_latrine",
            "uses_internet", "uses_digital_services", "waste_collected",
        )
        if name in used
    }  # fmt: skip
    per_person, household = source["income_per_person"], source["household_income"]
    # Saved from the household total (the page's rule, SurveyForm.initial_from): write only the
    # total, so that editing it changes the income; the import divides it again.
    members = source["member_count"] or persons
    computed = household is not None and members and per_person == household // members
    row.update(
        income_per_person=None if computed else per_person,
        household_income=household,
        b1_score=source["b1_score"],
        floor_area=source["floor_area"],
        water_source=labels.one("water_source", source["water_source"]),
        devices=labels.many("devices", source["devices"]),
        causes=labels.many("causes", source["causes"]),
        needs=labels.many("needs", source["needs"]),
    )
    return row


def _member(code: str, m: dict, labels: _Labels) -> dict:
    row = {"household": code, "full_name": m["full_name"], "birth_date": m["birth_date"]}
    for column in C.MEMBER_COLUMNS:
        key = column.key
        if key in ("household", "full_name", "birth_date"):
            continue
        if column.kind in (C.YES_NO, C.FLAG):
            row[key] = labels.flag(m[key])
        elif column.kind == C.CHOICE:
            row[key] = labels.one(key, m[key])
        else:
            row[key] = m[key]
    return row


__all__ = ["TITLE", "context", "name", "rows", "title", "total", "write"]
