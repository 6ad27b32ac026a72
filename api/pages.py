"""The account page where a signed-in user lists, creates and revokes their own API tokens.

A new token's secret is shown once, in the response to the POST that created it (never stored,
never in a redirect's URL or the session).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from projects.views.common import add_errors

from .forms import TokenCreateForm
from .services import token_create, token_get_own, token_revoke, tokens_of


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenCreateForm(request.POST if request.method == "POST" else None)
    created = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["days"]
        expires = timezone.now() + dt.timedelta(days=days) if days else None
        try:
            created = token_create(
                by=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=expires,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            form = TokenCreateForm()
    context = {
        "form": form,
        "created": created,
        "tokens": tokens_of(request.user),
        "now": timezone.now(),
    }
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def token_revoke_view(request, pk: int):
    token = token_get_own(request.user, pk)
    if token is None:
        raise Http404
    token_revoke(by=request.user, token=token)
    messages.success(request, _("Đã thu hồi mã truy cập “%(name)s”.") % {"name": token.name})
    return redirect("api_tokens")
