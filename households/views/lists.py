"""Household registry pages: a round's list of households, a household's page, moving a household.

Every page runs the same number of queries whatever the number of rows, members, rounds or
history records (tests/households/test_lists.py counts them): rows are fetched with their related
rows joined or prefetched, and permissions are decided in Python from the request's scope. The
list is built by ``households.listing`` (scope by commune ids, keyset pages, stored totals).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Window
from django.db.models.functions import Lag
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from simple_history.models import DeletedObject

from areas.models import Unit
from areas.scope import Capability, request_scope
from areas.templatetags.portal import person_name

from .. import choices, flow, listing, selectors, services
from ..filters import SurveyFilter, indicator_label
from ..forms import HouseholdMoveForm
from ..models import Household, Member, PersonalDataAction, Survey
from ..paging import PAGING_PARAMS
from ..privacy import can_see_citizen_ids, shown_citizen_id
from ..reasons import describe
from ..rules import age_on

HISTORY_LIMIT = 50  # latest changes shown on a household's page


# --- the list -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def household_list(request):
    scope = request_scope(request)
    rounds = list(selectors.round_list())
    round_ = _chosen_round(request, rounds)
    context = {"rounds": rounds, "round": round_, "can_create": scope.can(Capability.ENTER)}
    if round_ is None:
        return render(request, "households/household_list.html", context)
    if "reset" in request.GET:  # "Bỏ lọc": forget this round's filters
        flow.forget(request.session, round_.pk)
        return redirect(flow.list_url("", round_.pk))
    asked = flow.filters_only(request.GET)
    saved = flow.remembered(request.session, round_.pk)
    if not asked and saved and not set(request.GET) & set(PAGING_PARAMS):
        # the round's list as the user left it (filters kept per round in the session)
        return redirect(flow.list_url(f"round={round_.pk}&{saved}"))
    flow.remember(request.session, round_.pk, request.GET)
    found = listing.round_list_for_user(request.user, scope, round_, request.GET)
    _warn_ignored_filters(request, found.filter)
    context.update(
        filter=found.filter,
        page=listing.list_page(found, request.GET, scope),
        totals=listing.stored_totals(found),  # None: counted by household_list_totals
        query=listing.other_params(request.GET),
        list_query=flow.clean_query(request.GET.urlencode()),
        filtered=bool(asked),
    )
    return render(request, "households/household_list.html", context)


@login_required
@require_http_methods(["GET"])
def household_list_totals(request):
    """The list's exact totals for filters the rollup does not store (a fragment the list page
    loads after it is shown, so that counting never holds the page)."""
    scope = request_scope(request)
    round_ = _chosen_round(request, list(selectors.round_list()), warn=False)
    if round_ is None:
        raise Http404
    found = listing.round_list_for_user(request.user, scope, round_, request.GET)
    context = {"totals": listing.counted_totals(found), "counted_at": timezone.now()}
    return render(request, "households/_household_totals.html", context)


def _chosen_round(request, rounds, *, warn: bool = True):
    """?round=<pk>, else the current round; None when no round was ever opened."""
    wanted = request.GET.get("round", "")
    if wanted:
        chosen = next((r for r in rounds if str(r.pk) == wanted), None)
        if chosen is not None:
            return chosen
        if warn:
            messages.warning(
                request, _("Không có đợt rà soát đã chọn: đang hiển thị đợt hiện tại.")
            )
    return selectors.round_current(rounds)


def _warn_ignored_filters(request, survey_filter: SurveyFilter) -> None:
    form = survey_filter.form
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        messages.warning(
            request,
            _("Đã bỏ qua bộ lọc “%(filter)s”: %(error)s")
            % {"filter": label, "error": " ".join(errors)},
        )


# --- a household's page ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def household_detail(request, pk: int):
    scope = request_scope(request)
    household = selectors.household_get_for_user(scope, pk)
    entries = list(
        household.surveys.select_related("round", "commune")
        .prefetch_related("deprivations")
        .order_by("-round__starts_on")
    )
    for entry in entries:
        entry.can_enter = scope.covers(entry.commune, Capability.ENTER)
        entry.deprived = _deprived(entry)
    exclusions = household.exclusions.select_related("round", "commune", "created_by").order_by(
        "-round__starts_on", "-created_at"
    )
    reveal = can_see_citizen_ids(scope, household.commune)
    context = {
        "household": household,
        "members": _current_members(household, reveal),
        "citizen_ids_shown": reveal,
        "entries": entries,
        "exclusions": exclusions,
        "changes": household_changes(household, reveal=reveal),
        "history_limit": HISTORY_LIMIT,
        "can_move": scope.covers(household.commune, Capability.ENTER),
    }
    services.personal_data_access_record(
        user=request.user,
        action=PersonalDataAction.VIEW_HOUSEHOLD,
        household=household,
        citizen_ids_shown=reveal,
    )
    return render(request, "households/household_detail.html", context)


def _current_members(household: Household, reveal: bool) -> list[Member]:
    today = timezone.localdate()
    members = sorted(
        household.members.filter(is_current=True), key=lambda m: (m.relation != "head", m.pk)
    )
    for member in members:
        member.age = age_on(member.birth_date, today) if member.birth_date <= today else None
        member.citizen_id_shown = shown_citizen_id(member.citizen_id, reveal)
    return members


def _deprived(entry: Survey) -> list[dict]:
    """The entry's deprived indicators in report order, numbered by its round's standard."""
    standard = entry.round.get_standard()
    numbered = {i.code: i for i in standard.indicators}
    rows = []
    for row in entry.deprivations.all():
        indicator = numbered.get(row.indicator)
        rows.append(
            {
                "number": indicator.number if indicator else 0,
                "label": indicator_label(indicator) if indicator else row.indicator,
                "reasons": [describe(reason) for reason in row.reasons],
            }
        )
    return sorted(rows, key=lambda r: r["number"])


# --- change history (django-simple-history) ---------------------------------------------------

# Bookkeeping fields that say nothing to a reader.
HIDDEN_FIELDS = {"version", "is_urban", "household", "round"}
# Fields whose model has no Vietnamese verbose name.
FIELD_LABELS = {
    "status": gettext_lazy("Trạng thái"),
    "commune": gettext_lazy("Xã"),
    "is_ethnic_minority": gettext_lazy("Hộ dân tộc thiểu số"),
    "member_count": gettext_lazy("Số nhân khẩu"),
    "deprived_count": gettext_lazy("Số chỉ số thiếu hụt"),
    "b2_score": gettext_lazy("Điểm B2"),
    "previous_class": gettext_lazy("Phân loại kỳ trước"),
    "surveyed_by": gettext_lazy("Người rà soát"),
    "surveyed_at": gettext_lazy("Thời điểm rà soát"),
}
# Comma-wrapped code lists and the labels of their codes.
CODE_LISTS = {
    "causes": dict(choices.Cause.choices),
    "needs": dict(choices.Need.choices),
    "devices": dict(choices.DEVICES),
}
ACTIONS = {"+": gettext_lazy("Tạo mới"), "~": gettext_lazy("Sửa"), "-": gettext_lazy("Xoá")}


def household_changes(
    household: Household, limit: int = HISTORY_LIMIT, *, reveal: bool = False
) -> list[dict]:
    """The latest changes of a household, its members and its entries: six queries."""
    records = [
        *_latest_records(household.history.all(), limit, ("commune",)),
        *_latest_records(Member.history.filter(household_id=household.pk), limit, ()),
        *_latest_records(
            Survey.history.filter(household_id=household.pk),
            limit,
            ("round", "commune", "surveyed_by"),
        ),
    ]
    records.sort(key=lambda r: r.history_date, reverse=True)
    changes = (_change(record, reveal) for record in records[:limit])
    # Services save unchanged rows too (a survey save re-saves every member): not worth a line.
    return [change for change in changes if change is not None]


def _latest_records(history, limit: int, related: tuple[str, ...]) -> list:
    """The latest ``limit`` history records, each with ``previous`` (its object's record before).

    A window function gives every record the id of the one before it (per object), so the
    records before the ones shown are found with a subquery: two queries, always.
    """
    latest = history.annotate(
        previous_id=Window(
            Lag("history_id"), partition_by=[F("id")], order_by=[F("history_date"), F("history_id")]
        )
    ).order_by("-history_date", "-history_id")
    records = list(latest.select_related("history_user", *related)[:limit])
    before = history.select_related(*related).filter(
        history_id__in=latest.values("previous_id")[:limit]
    )
    by_id = {record.history_id: record for record in before}
    for record in records:
        record.previous = by_id.get(record.previous_id)
    return records


def _change(record, reveal: bool = False) -> dict | None:
    model = record.instance_type
    if model is Member:
        subject = _("Thành viên %(name)s") % {"name": record.full_name}
    elif model is Survey:
        subject = _("Phiếu: %(round)s") % {"round": record.round}
    else:
        subject = _("Thông tin hộ")
    fields = []
    if record.history_type == "~" and record.previous is not None:
        delta = record.diff_against(
            record.previous, excluded_fields=HIDDEN_FIELDS, foreign_keys_are_objs=True
        )
        for change in delta.changes:
            field = model._meta.get_field(change.field)
            fields.append(
                {
                    "label": FIELD_LABELS.get(change.field, field.verbose_name),
                    "old": _show(field, change.old, reveal),
                    "new": _show(field, change.new, reveal),
                }
            )
    note = ""
    if record.history_type == "~" and record.previous is None:
        note = _("không còn bản ghi trước đó để so sánh")
    elif record.history_type == "~" and not fields:
        return None
    return {
        "when": record.history_date,
        "who": person_name(record.history_user) if record.history_user else "",
        "subject": subject,
        "action": ACTIONS.get(record.history_type, record.history_type),
        "fields": fields,
        "note": note,
    }


def _show(field, value, reveal: bool = False) -> str:
    """A history value as the reader knows it: labels, not codes; citizen IDs masked unless the
    reader may see them (``households.privacy``)."""
    if isinstance(value, DeletedObject):  # a foreign key that was empty, or whose row is gone
        return "—" if value.pk is None else _("(đã xoá)")
    if value is None or value == "":
        return "—"
    if field.name == "citizen_id":
        return shown_citizen_id(value, reveal)
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if field.name in CODE_LISTS:
        labels = CODE_LISTS[field.name]
        return ", ".join(str(labels.get(code, code)) for code in value.split(",") if code)
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, dt.date):
        return date_format(value, "d/m/Y")
    if isinstance(value, (int, Decimal)):
        return number_format(value, force_grouping=True)
    if isinstance(value, Unit):
        return value.label
    if isinstance(value, get_user_model()):
        return person_name(value)
    return str(value)


# --- moving a household -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def household_move(request, pk: int):
    scope = request_scope(request)
    household = selectors.household_get_for_change(scope, pk)
    origin = household.commune
    data = request.POST if request.method == "POST" else None
    form = HouseholdMoveForm(data, household=household)
    if form.is_valid():
        to = form.cleaned_data
        try:
            services.household_move(
                by=request.user,
                household=household,
                to_commune=to["to_commune"],
                village=to["village"],
            )
        except (ValidationError, PermissionDenied) as error:
            _add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Đã chuyển hộ %(code)s từ %(old)s đến %(new)s.")
                % {"code": household.code, "old": origin.label, "new": household.commune.label},
            )
            if scope.covers(household.commune):
                return redirect("household_detail", pk=household.pk)
            return redirect("household_list")  # moved out of the user's scope
    return render(request, "households/household_move.html", {"household": household, "form": form})


def _add_service_error(form: forms.Form, error: Exception) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(
            "to_commune",
            _(
                "Xã chuyển đến nằm ngoài phạm vi được phân công của bạn: hãy nhờ quản trị viên "
                "chuyển hộ này."
            ),
        )
    elif hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
