from django import forms
from django.utils.translation import gettext_lazy as _


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        help_text=_("Ví dụ: “Đồng bộ với hệ thống của tỉnh”."),
        error_messages={"required": _("Nhập tên gợi nhớ cho mã truy cập.")},
    )
    days = forms.IntegerField(
        label=_("Hết hạn sau (ngày)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Để trống: không hết hạn (vẫn thu hồi được bất cứ lúc nào)."),
    )
