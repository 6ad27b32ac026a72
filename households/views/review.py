"""Review rounds (administrators open and close them) and commune submission (officers submit,
district staff accept, return or reopen)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from areas.scope import Capability, request_scope, user_scope

from .. import selectors, services
from ..forms.round_entry import EntrySearchForm, RoundEntryForm
from ..models import RoundKind, SubmissionStatus
from ..progress import commune_progress, round_completeness
from ..round_forms import RoundOpenForm, RoundTimetableForm, SubmissionCommentForm

ACTIONS = {
    "submit": (services.commune_submit, Capability.ENTER),
    "accept": (services.commune_accept, Capability.REVIEW),
    "return": (services.commune_return, Capability.REVIEW),
    "reopen": (services.commune_reopen, Capability.REVIEW),
}


def _messages_of(error: ValidationError) -> list[str]:
    return error.messages  # a dict-shaped error flattens to its messages too


@login_required
@require_http_methods(["GET"])
def round_list(request):
    page = Paginator(selectors.round_list(), 20).get_page(request.GET.get("page"))
    can_admin = request_scope(request).can(Capability.ADMINISTER)
    return render(request, "households/round_list.html", {"page": page, "can_admin": can_admin})


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request):
    if not request_scope(request).can(Capability.ADMINISTER):
        raise PermissionDenied
    form = RoundOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_open(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # a dict of field errors goes beside its fields
        else:
            messages.success(request, _("Đã mở %(round)s.") % {"round": round_})
            return redirect("round_detail", pk=round_.pk)
    return render(request, "households/round_open.html", {"form": form})


@login_required
@require_http_methods(["POST"])
def round_close(request, pk: int):
    round_ = selectors.round_get(pk)
    try:
        services.round_close(by=request.user, round_=round_)
        messages.success(request, _("Đã đóng %(round)s.") % {"round": round_})
    except ValidationError as error:
        messages.error(request, " ".join(_messages_of(error)))
    return redirect("round_list")


@login_required
@require_http_methods(["GET"])
def round_detail(request, pk: int):
    return _round_detail_render(request, selectors.round_get(pk))


def _round_detail_render(request, round_, timetable_form=None):
    """The round's page: its timetable and the completeness of every commune in the user's scope
    (late communes first). ``timetable_form``: a bound form with errors to show again."""
    scope = user_scope(request.user, round_.reference_date)
    status = request.GET.get("status", "")
    rows, summary = round_completeness(
        round_, scope.communes(), today=timezone.localdate(), status=status
    )
    can_admin = request_scope(request).can(Capability.ADMINISTER)
    if timetable_form is None and can_admin and round_.is_open:
        timetable_form = RoundTimetableForm(
            initial={
                "commune_due": round_.commune_due,
                "district_due": round_.district_due,
                "province_due": round_.province_due,
            }
        )
    context = {
        "round": round_,
        "rows": rows,
        "summary": summary,
        "status": status,
        "statuses": SubmissionStatus.choices,
        "can_admin": can_admin,
        "timetable_form": timetable_form,
    }
    if round_.kind == RoundKind.REGULAR:
        context |= _regular_round(round_, scope, rows)
    return render(request, "households/round_detail.html", context)


REGULAR_LINKS = 10  # communes offered a direct "add a household" link on a regular round's page


def _regular_round(round_, scope, rows: list[dict]) -> dict:
    """A regular round lists only the communes with households on its list (a list is built
    by hand, household by household), and offers the officer's communes a way to add one."""
    rows[:] = [r for r in rows if r["total"] or r["excluded"]]
    entering = list(scope.communes(Capability.ENTER).order_by("code")[: REGULAR_LINKS + 1])
    can_add = round_.is_open and 0 < len(entering) <= REGULAR_LINKS
    return {"regular_add_communes": entering if can_add else []}


@login_required
@require_http_methods(["POST"])
def round_timetable(request, pk: int):
    """Administrators change the due dates of an open round; bad input shows the page again."""
    round_ = selectors.round_get(pk)
    if not request_scope(request).can(Capability.ADMINISTER):
        raise PermissionDenied
    form = RoundTimetableForm(request.POST)
    if form.is_valid():
        try:
            services.round_timetable_set(by=request.user, round_=round_, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # a dict of field errors goes beside its fields
        else:
            messages.success(request, _("Đã cập nhật thời hạn của %(round)s.") % {"round": round_})
            return redirect("round_detail", pk=round_.pk)
    return _round_detail_render(request, round_, timetable_form=form)


def _commune_in_scope(request, round_, commune_pk: int):
    scope = user_scope(request.user, round_.reference_date)
    commune = get_object_or_404(scope.communes(), pk=commune_pk)
    return scope, commune


@login_required
@require_http_methods(["GET"])
def commune_round(request, round_pk: int, commune_pk: int):
    round_ = selectors.round_get(round_pk)
    scope, commune = _commune_in_scope(request, round_, commune_pk)
    submission = services.submission_for(round_, commune)
    progress = commune_progress(round_, scope.communes().filter(pk=commune.pk))[0]
    return render(
        request,
        "households/commune_round.html",
        {
            "round": round_,
            "commune": commune,
            "submission": submission,
            "status": submission.status if submission else SubmissionStatus.OPEN,
            "events": submission.events.select_related("by") if submission else [],
            "progress": progress,
            "form": SubmissionCommentForm(),
            "can_enter": scope.covers(commune, Capability.ENTER),
            "can_review": scope.covers(commune, Capability.REVIEW),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_household_add(request, round_pk: int, commune_pk: int):
    """Put one of the commune's households on a regular round's list (officers of the
    commune). The picker searches the commune's households not on the list yet."""
    round_ = selectors.round_get(round_pk)
    scope, commune = _commune_in_scope(request, round_, commune_pk)
    if not scope.covers(commune, Capability.ENTER):
        raise PermissionDenied
    refusal = services.round_entry_refusal(round_)
    data = request.POST if request.method == "POST" else None
    form = RoundEntryForm(data)
    search = EntrySearchForm(data or request.GET or None)
    term = search.cleaned_data["q"] if search.is_valid() else ""
    if data is not None and refusal:
        form.add_error(None, refusal)
    elif data is not None and form.is_valid():
        # a household of another commune (or none): 404, whatever else was sent
        household = selectors.round_entry_household(commune, form.cleaned_data["household"])
        try:
            services.round_household_add(
                by=request.user,
                round_=round_,
                household=household,
                basis=form.cleaned_data["basis"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in _messages_of(error):
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Đã thêm hộ %(code)s vào danh sách %(round)s.")
                % {"code": household.code, "round": round_},
            )
            return redirect("commune_round", round_pk=round_.pk, commune_pk=commune.pk)
    return render(
        request,
        "households/round_household_add.html",
        {
            "round": round_,
            "commune": commune,
            "refusal": refusal,
            "form": form,
            "search": search,
            "term": term,
            "candidates": []
            if refusal
            else selectors.round_entry_candidates(round_, commune, term),
        },
    )


@login_required
@require_http_methods(["POST"])
def commune_round_act(request, round_pk: int, commune_pk: int, action: str):
    round_ = selectors.round_get(round_pk)
    scope, commune = _commune_in_scope(request, round_, commune_pk)
    if action not in ACTIONS:
        raise PermissionDenied
    service, capability = ACTIONS[action]
    if not scope.covers(commune, capability):
        raise PermissionDenied
    form = SubmissionCommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if action == "submit":
            service(by=request.user, round_=round_, commune=commune, comment=comment)
        else:
            submission = services.submission_for(round_, commune)
            if submission is None:
                raise ValidationError(_("Xã chưa gửi kết quả."))
            service(by=request.user, submission=submission, comment=comment)
    except ValidationError as error:
        messages.error(request, " ".join(_messages_of(error)))
    else:
        messages.success(request, _("Đã ghi nhận: %(action)s.") % {"action": ACTION_LABELS[action]})
    return redirect("commune_round", round_pk=round_.pk, commune_pk=commune.pk)


ACTION_LABELS = {
    "submit": gettext_lazy("gửi kết quả"),
    "accept": gettext_lazy("tiếp nhận kết quả"),
    "return": gettext_lazy("trả lại kết quả"),
    "reopen": gettext_lazy("mở lại kết quả"),
}
