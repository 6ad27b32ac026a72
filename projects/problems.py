"""Vietnamese messages for the rules' problem codes (rules.py stays free of Django)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .rules import Problem

MESSAGES = {
    "no_commune": _("Chọn ít nhất một xã thực hiện dự án."),
    "dates": _("Ngày kết thúc phải sau ngày bắt đầu."),
    "no_participants": _("Dự án chưa có hộ tham gia."),
    "beneficiary_share": _(
        "Hộ thuộc đối tượng của Chương trình mới chiếm %(share)s%% số hộ tham gia: cần ít nhất "
        "%(min)s%%."
    ),
    "outside_communes": _(
        "Các hộ sau không cư trú tại xã thực hiện dự án: %(codes)s. Bỏ các hộ này hoặc thêm xã."
    ),
    "no_budget": _("Nhập tổng kinh phí của dự án."),
    "sources_sum": _("Cộng các nguồn vốn (%(sum)s đồng) phải bằng tổng kinh phí (%(total)s đồng)."),
    "items_sum": _(
        "Cộng thành tiền các nội dung hỗ trợ (%(sum)s đồng) phải bằng tổng kinh phí "
        "(%(total)s đồng)."
    ),
    "state_share": _(
        "Ngân sách nhà nước hỗ trợ %(share)s%% tổng kinh phí, vượt mức tối đa %(cap)s%% cho hình "
        "thức và địa bàn này."
    ),
    "no_level": _(
        "Chưa cấu hình cấp phê duyệt cho hình thức dự án này: đề nghị quản trị viên bổ sung."
    ),
    "no_cap": _(
        "Chưa có mức hỗ trợ tối đa của ngân sách cho hình thức và địa bàn này: đề nghị quản trị "
        "viên bổ sung."
    ),
}


def _show(value: object) -> str:
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=0 if value == value.to_integral() else 2)
    if isinstance(value, int) and not isinstance(value, bool):
        return intcomma(value)
    return str(value)


def problem_message(problem: Problem) -> str:
    params = {k: _show(v) for k, v in problem.params.items()}
    return str(MESSAGES[problem.code]) % params


def problem_messages(problems: list[Problem]) -> list[str]:
    return [problem_message(p) for p in problems]
