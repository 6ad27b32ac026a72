from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from projects.views.common import add_errors

from .forms import NotificationSettingForm
from .services import setting_for, setting_save


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """The user's own e-mail choices (off until they turn them on)."""
    setting = setting_for(request.user)
    initial = {
        "email": request.user.email,
        "on_events": setting.on_events,
        "daily_digest": setting.daily_digest,
    }
    form = NotificationSettingForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            setting_save(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu cài đặt thông báo."))
            return redirect("notification_settings")
    return render(request, "notifications/settings.html", {"form": form})
