"""Survey import pages: upload (with the template download), the job's page (progress, errors or
preview), confirm. Only users who may enter data import; a job is its owner's alone (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from areas.scope import Capability, request_scope
from households import choices
from households.models import RoundKind

from ..exports import services as export_services
from ..imports import services, template
from ..imports.columns import MAX_BYTES
from ..imports.forms import XLSX, ImportForm, open_rounds
from ..jobs import job_get_for_user, job_round
from ..models import JobKind

ERRORS_PER_PAGE = 50
ACTIONS = {
    "new": gettext_lazy("Hộ mới"),
    "enter": gettext_lazy("Nhập phiếu"),
    "change": gettext_lazy("Sửa"),
    "same": gettext_lazy("Không đổi"),
}
CLASSES = dict(choices.POVERTY_CLASS)


def _default_round(request, rounds):
    wanted = request.GET.get("round", "")
    chosen = next((r for r in rounds if str(r.pk) == wanted), None)
    return (
        chosen
        or next((r for r in rounds if r.kind == RoundKind.PERIODIC), None)
        or (rounds[0] if rounds else None)
    )


class _SizeLimit(FileUploadHandler):
    """Stops storing an upload past the limit (the rest of the request is read and dropped)."""

    def __init__(self, request):
        super().__init__(request)
        self.received = 0
        request.upload_too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > MAX_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _require_enter(request):
    if not request_scope(request).can(Capability.ENTER):
        raise PermissionDenied


@csrf_exempt  # the upload handler must be added before the CSRF check reads the body…
@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    _require_enter(request)
    request.upload_handlers.insert(0, _SizeLimit(request))
    return _import_upload(request)


@csrf_protect  # …so the check runs here
def _import_upload(request):
    rounds = list(open_rounds())
    if request.method == "POST":
        form = ImportForm(
            request.POST, request.FILES, too_large=getattr(request, "upload_too_large", False)
        )
        if form.is_valid():
            job = services.import_start(
                by=request.user,
                round_=form.cleaned_data["round"],
                upload=form.cleaned_data["file"],
                language=getattr(request, "LANGUAGE_CODE", "vi"),
            )
            return redirect("import_detail", pk=job.pk)
    else:
        chosen = _default_round(request, rounds)
        form = ImportForm(initial={"round": chosen.pk if chosen else None})
    context = {
        "form": form,
        "rounds": rounds,
        "max_mb": MAX_BYTES // (1024 * 1024),
        "prefill": [(r, template.enterable_communes(request.user, r)) for r in rounds],
    }
    return render(request, "reports/import_upload.html", context)


@login_required
@require_http_methods(["GET"])
def import_template(request):
    _require_enter(request)
    rounds = list(open_rounds())
    round_ = _default_round(request, rounds)
    if round_ is None:
        raise Http404
    content = template.build(user=request.user, round_=round_)
    response = HttpResponse(content, content_type=XLSX)
    name = f"mau-nhap-phieu-{round_.year}-{round_.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def import_prefilled(request):
    """The commune's workbook pre-filled with the round's households (``imports.prefilled``), as
    an export job: a commune the user may not enter data for, or a closed round, is a 404."""
    _require_enter(request)
    params = {"round": request.POST.get("round", ""), "unit": request.POST.get("commune", "")}
    job = export_services.export_start(by=request.user, report="prefilled", params=params)
    return redirect("job_detail", pk=job.pk)


@login_required
@require_http_methods(["GET"])
def import_detail(request, pk: int):
    job = job_get_for_user(request.user, pk)
    if job.kind != JobKind.IMPORT:
        raise Http404
    summary = job.summary or {}
    round_ = job_round(job)
    errors = Paginator(summary.get("errors", []), ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "job": job,
        "summary": summary,
        "round": round_,
        "page": errors,
        "phase": summary.get("phase", "validate"),
        "counts": summary.get("counts", {}),
        "classes": [
            {"label": label, "count": summary.get("classes", {}).get(code, 0)}
            for code, label in choices.POVERTY_CLASS
            if summary.get("classes", {}).get(code)
        ],
        "sample": [
            {
                **row,
                "action_label": ACTIONS.get(row["action"], ""),
                "previous_label": CLASSES.get(row["previous"], ""),
                "predicted_label": CLASSES.get(row["predicted"], ""),
            }
            for row in summary.get("sample", [])
        ],
    }
    return render(request, "reports/import_detail.html", context)


@login_required
@require_POST
def import_confirm(request, pk: int):
    _require_enter(request)
    job = job_get_for_user(request.user, pk)
    if job.kind != JobKind.IMPORT:
        raise Http404
    try:
        services.import_confirm(by=request.user, job=job)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("import_detail", pk=job.pk)
