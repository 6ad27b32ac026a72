from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationSetting


class NotificationSettingForm(forms.Form):
    email = forms.EmailField(
        label=_("Địa chỉ thư"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư không hợp lệ.")},
    )
    on_events = forms.BooleanField(
        label=NotificationSetting._meta.get_field("on_events").verbose_name,
        help_text=NotificationSetting._meta.get_field("on_events").help_text,
        required=False,
    )
    daily_digest = forms.BooleanField(
        label=NotificationSetting._meta.get_field("daily_digest").verbose_name,
        help_text=NotificationSetting._meta.get_field("daily_digest").help_text,
        required=False,
    )
