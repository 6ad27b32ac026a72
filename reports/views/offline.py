"""Offline collection pages: the round's XLSForm for ODK Collect / KoboCollect, and the household
list of one commune (``ho.csv``) that pre-loads it. Submissions come back through the import
upload (``reports.views.imports``). Only users who may enter data; the household list only for a
commune they enter data for (404 otherwise), recorded in the personal-data access log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from households.models import PersonalDataAction
from households.services import personal_data_access_record

from ..imports.forms import XLSX, open_rounds
from ..imports.template import enterable_communes
from ..offline import xlsform
from .imports import _default_round, _require_enter


def _round_and_commune(request, *, commune_required: bool):
    rounds = list(open_rounds())
    round_ = _default_round(request, rounds)
    if round_ is None:
        raise Http404
    code = request.GET.get("commune", "")
    if not code:
        if commune_required:
            raise Http404
        return round_, None
    commune = next((c for c in enterable_communes(request.user, round_) if c.code == code), None)
    if commune is None:
        raise Http404  # not a commune the user enters data for: as if it did not exist
    return round_, commune


@login_required
@require_http_methods(["GET"])
def odk_page(request):
    _require_enter(request)
    rounds = list(open_rounds())
    round_ = _default_round(request, rounds)
    communes = enterable_communes(request.user, round_) if round_ else []
    context = {"rounds": rounds, "round": round_, "communes": communes}
    return render(request, "reports/import_odk.html", context)


@login_required
@require_http_methods(["GET"])
def odk_form(request):
    _require_enter(request)
    round_, commune = _round_and_commune(request, commune_required=False)
    form = xlsform.build(round_, commune)
    response = HttpResponse(form.xlsx(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{form.form_id}.xlsx"'
    return response


@login_required
@require_http_methods(["GET"])
def odk_households(request):
    _require_enter(request)
    round_, commune = _round_and_commune(request, commune_required=True)
    content = xlsform.households_csv(round_, commune)
    personal_data_access_record(
        user=request.user,
        action=PersonalDataAction.EXPORT,
        commune=commune,
        reference=f"{xlsform.HOUSEHOLDS_CSV} · {xlsform.form_id(round_, commune)}",
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{xlsform.HOUSEHOLDS_CSV}"'
    return response
