"""A user's own jobs: list with progress, one job's progress (htmx polling), file download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import jobs


@login_required
@require_http_methods(["GET"])
def job_list(request):
    mine = jobs.job_list_for_user(request.user)
    kind = request.GET.get("kind", "")
    if kind in ("export", "import"):
        mine = mine.filter(kind=kind)
    page = Paginator(mine, 25).get_page(request.GET.get("page"))
    return render(request, "reports/job_list.html", {"page": page, "kind": kind})


@login_required
@require_http_methods(["GET"])
def job_detail(request, pk: int):
    job = jobs.job_get_for_user(request.user, pk)
    if job.kind == "import" and not request.headers.get("HX-Request"):
        return redirect("import_detail", pk=job.pk)  # errors, preview and confirm live there
    if request.headers.get("HX-Request"):
        return render(request, "reports/_job_progress.html", {"job": job})
    return render(request, "reports/job_detail.html", {"job": job})


@login_required
@require_http_methods(["GET"])
def job_download(request, pk: int, which: str):
    job = jobs.job_get_for_user(request.user, pk)
    field = {"ket-qua": job.result, "tep-goc": job.source}.get(which)
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1])


@login_required
@require_http_methods(["POST"])
def job_retry(request, pk: int):
    """The owner restarts a failed job (``reports.jobs.retry``)."""
    job = jobs.job_get_for_user(request.user, pk)
    try:
        job = jobs.retry(by=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã gửi lại công việc %(ref)s.") % {"ref": job.reference})
    return redirect("job_detail", pk=job.pk)
