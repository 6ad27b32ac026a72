"""The survey of a round as an XLSForm (sheets ``survey``, ``choices``, ``settings``).

Built from the import template's own column definitions (``reports.imports.columns``), so the
questions, the codes of every list, what is required and which questions the round's standard
has are those of the template and of the survey page. A question is named by its column's key:
the submissions exported by ODK Central / KoboToolbox then read back through the same columns
(``submissions``). The constraints mirror the survey page's validators (``households.forms``);
the portal checks every submission again with those forms anyway, so a constraint here only
spares the enumerator a second visit.

With a commune, the form is pre-loaded: the commune's code is fixed, the household is picked from
the commune's list of the round (``ho.csv``, a form attachment read by ``select_one_from_file``)
or typed as a new code, and its village is filled in from the list (``pulldata``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from households.forms.fields import (
    MAX_B1_SCORE,
    MAX_FLOOR_AREA,
    MAX_HOUSEHOLD_INCOME,
    MAX_INCOME_PER_PERSON,
)
from households.models import Household, ReviewRound, Survey

from ..imports import columns as C

HOUSEHOLDS_CSV = "ho.csv"  # the attachment's name, as the form refers to it
NEW_HOUSEHOLD = "_moi_"  # the list's extra entry: "a household not on the list"
MEMBERS = "members"  # the repeat; ODK Central names its CSV "<form id>-members.csv"
INCOME_BASIS = "income_basis"  # the page's radio: which of the two incomes is entered
SURVEY_HEADER = (
    "type",
    "name",
    "label",
    "hint",
    "required",
    "required_message",
    "constraint",
    "constraint_message",
    "relevant",
    "calculation",
    "trigger",
    "appearance",
    "default",
)
CHOICES_HEADER = ("list_name", "name", "label")
SETTINGS_HEADER = ("form_title", "form_id", "version", "instance_name", "default_language")

# The kinds of the import columns as XLSForm question types (the choice lists by column key).
_TYPES = {
    C.TEXT: "text",
    C.COMMUNE: "text",
    C.CITIZEN_ID: "text",
    C.INTEGER: "integer",
    C.DECIMAL: "decimal",
    C.DATE: "date",
}


@dataclass(frozen=True)
class Form:
    form_id: str
    version: str
    survey: list[dict]
    choices: list[dict]
    settings: dict

    def xlsx(self) -> bytes:
        workbook = Workbook()
        sheets = (
            ("survey", SURVEY_HEADER, self.survey),
            ("choices", CHOICES_HEADER, self.choices),
            ("settings", SETTINGS_HEADER, [self.settings]),
        )
        for n, (title, header, rows) in enumerate(sheets):
            ws = workbook.active if n == 0 else workbook.create_sheet()
            ws.title = title
            ws.append(header)
            for row in rows:
                ws.append([row.get(h, "") for h in header])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


def form_id(round_: ReviewRound, commune=None) -> str:
    base = f"ra_soat_{round_.pk}"
    return f"{base}_xa_{commune.code}" if commune is not None else base


def build(round_: ReviewRound, commune=None) -> Form:
    """The round's survey; with ``commune``, pre-loaded with its households (``households_csv``).
    Labels are Vietnamese: the enumerators' language, whatever the officer's page shows."""
    with translation.override("vi"):
        standard = round_.get_standard()
        survey = _household_questions(round_, standard, commune)
        survey += _member_questions(round_, standard)
        choices = _choices(standard)
        title = _("Phiếu rà soát %(round)s") % {"round": round_}
        if commune is not None:
            title = f"{title} · {commune.label}"
        household = _("Hộ")
        instance_name = f"concat('{household} ', ${{code}}, ' - ', ${{village}})"
    identity = form_id(round_, commune)
    # The version changes when the questions do (ODK Central wants a new version to republish).
    digest = hashlib.sha256(
        json.dumps([survey, choices], ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()[:10]
    settings = {
        "form_title": title,
        "form_id": identity,
        "version": digest,
        "instance_name": instance_name,
        "default_language": "vi",
    }
    return Form(form_id=identity, version=digest, survey=survey, choices=choices, settings=settings)


def _q(type_: str, name: str, label="", **kw) -> dict:
    return {"type": type_, "name": name, "label": str(label), **{k: str(v) for k, v in kw.items()}}


def _question(column: C.Column) -> dict:
    if column.kind in (C.YES_NO, C.FLAG):
        type_ = "select_one yes_no"
    elif column.kind == C.CHOICE:
        type_ = f"select_one {column.key}"
    elif column.kind == C.CHOICES:
        type_ = f"select_multiple {column.key}"
    else:
        type_ = _TYPES[column.kind]
    row = _q(type_, column.key, column.header, hint=column.help)
    if column.required:
        row["required"] = "yes"
        row["required_message"] = _("Bắt buộc trả lời.")
    if column.kind == C.FLAG:
        row["default"] = "0"  # a blank flag is "Không" in the template too
    if column.default and column.kind == C.CHOICE:
        row["default"] = column.default
    if column.kind == C.INTEGER:
        row["constraint"] = ". >= 0"
        row["constraint_message"] = _("Nhập một số nguyên không âm.")
    return row


_CONSTRAINTS = {
    "code": (
        "string-length(.) >= 1 and string-length(.) <= 20 and not(contains(., ' '))",
        gettext_lazy("Mã hộ tối đa 20 ký tự, không có khoảng trắng."),
    ),
    "commune": (r"regex(., '^[0-9]{5}$')", gettext_lazy("Mã xã gồm đúng 5 chữ số, ví dụ 21484.")),
    "village": ("string-length(.) <= 100", gettext_lazy("Tối đa 100 ký tự.")),
    "address": ("string-length(.) <= 200", gettext_lazy("Tối đa 200 ký tự.")),
    "full_name": ("string-length(.) <= 100", gettext_lazy("Tối đa 100 ký tự.")),
    "b1_score": (f". >= 0 and . <= {MAX_B1_SCORE}", gettext_lazy("Điểm B1 phải từ 0 đến 1.000.")),
    "floor_area": (
        f". > 0 and . <= {int(MAX_FLOOR_AREA)}",
        gettext_lazy("Diện tích nhà ở phải lớn hơn 0 và không được vượt quá 5.000 m²."),
    ),
    "income_per_person": (
        f". >= 0 and . <= {MAX_INCOME_PER_PERSON} and . = floor(.)",
        gettext_lazy("Số nguyên từ 0 đến 1.000.000.000 đồng/người/tháng."),
    ),
    "household_income": (
        f". >= 0 and . <= {MAX_HOUSEHOLD_INCOME} and . = floor(.)",
        gettext_lazy("Số nguyên từ 0 đến 10.000.000.000 đồng/tháng."),
    ),
    "citizen_id": (
        r"regex(., '^[0-9]{12}$')",
        gettext_lazy("Số định danh cá nhân phải gồm đúng 12 chữ số."),
    ),
    "birth_date": (
        ". <= today() and . >= date('1900-01-01')",
        gettext_lazy("Ngày sinh không được sau ngày hôm nay, không trước ngày 01/01/1900."),
    ),
}


def _household_questions(round_: ReviewRound, standard, commune) -> list[dict]:
    rows: list[dict] = []
    for column in C.columns_for(C.HOUSEHOLD_COLUMNS, standard):
        if column.key == C.ROW_VERSION:
            continue  # the pre-filled workbook's conflict check; a submission is new each time
        if column.key == "commune" and commune is not None:
            rows.append(_q("calculate", "commune", column.header, calculation=f"'{commune.code}'"))
            continue
        if column.key == "code" and commune is not None:
            rows += _household_pick(column)
            continue
        if column.key == "income_per_person":
            rows.append(
                _q(
                    f"select_one {INCOME_BASIS}",
                    INCOME_BASIS,
                    _("Cách tính thu nhập bình quân"),
                    required="yes",
                    required_message=_("Bắt buộc trả lời."),
                )
            )
        row = _question(column)
        if column.key in ("income_per_person", "household_income"):
            row["type"] = "decimal"  # up to 10 billion: past ODK's 32-bit integers
            basis = "per_person" if column.key == "income_per_person" else "household"
            row["relevant"] = f"${{{INCOME_BASIS}}} = '{basis}'"
            row["required"] = "yes"
            row["required_message"] = _("Bắt buộc trả lời.")
        if column.key == "village" and commune is not None:
            # filled in from the list when a listed household is picked; editable afterwards
            row["calculation"] = (
                f"if(${{household}} = '{NEW_HOUSEHOLD}', '', "
                f"pulldata('{HOUSEHOLDS_CSV[:-4]}', 'village', 'name', ${{household}}))"
            )
            row["trigger"] = "${household}"
        _constrain(row)
        rows.append(row)
    return rows


def _household_pick(column: C.Column) -> list[dict]:
    """A household of the commune's list, or a new code typed in; ``code`` is the one chosen."""
    new = _q(
        "text",
        "new_code",
        _("Mã hộ mới"),
        hint=_("Hộ chưa có trong danh sách của xã: nhập mã hộ theo sổ theo dõi của xã."),
        required="yes",
        required_message=_("Bắt buộc trả lời."),
        relevant=f"${{household}} = '{NEW_HOUSEHOLD}'",
    )
    _constrain(new, "code")
    return [
        _q(
            f"select_one_from_file {HOUSEHOLDS_CSV}",
            "household",
            _("Hộ"),
            hint=_("Chọn hộ trong danh sách rà soát của xã, hoặc “Hộ mới” ở cuối danh sách."),
            required="yes",
            required_message=_("Bắt buộc trả lời."),
            appearance="autocomplete",
        ),
        new,
        _q(
            "calculate",
            "code",
            column.header,
            calculation=f"if(${{household}} = '{NEW_HOUSEHOLD}', ${{new_code}}, ${{household}})",
        ),
    ]


def _member_questions(round_: ReviewRound, standard) -> list[dict]:
    on = round_.reference_date
    # full years on the round's reference date, as households.facts.age_at (0 if born after)
    birth = "${birth_date}"
    age = (
        f"if({birth} > date('{on:%Y-%m-%d}'), 0, "
        f"{on.year} - int(format-date({birth}, '%Y')) - "
        f"if(number(format-date({birth}, '%m%d')) > {on.month * 100 + on.day}, 1, 0))"
    )
    rows = [
        _q(
            "begin repeat",
            MEMBERS,
            _("Thành viên"),
            hint=_("Mỗi thành viên của hộ một lần lặp; hộ có đúng một Chủ hộ."),
        )
    ]
    for column in C.columns_for(C.MEMBER_COLUMNS, standard):
        if column.key == "household":
            continue  # the repeat belongs to its household
        row = _question(column)
        _constrain(row)
        if column.key == "relation":
            row["constraint"] = ". != 'head' or count(../../members[relation = 'head']) = 1"
            row["constraint_message"] = _("Hộ phải có đúng một chủ hộ.")
        if column.key == "ethnicity":
            row["appearance"] = "minimal"
        if column.key == "nutrition":
            row["relevant"] = "${age} < 16"
        rows.append(row)
        if column.key == "birth_date":
            rows.append(_q("calculate", "age", calculation=age))
    rows.append(_q("end repeat", MEMBERS))
    rows.append(_q("calculate", "heads", calculation=f"count(${{{MEMBERS}}}[relation = 'head'])"))
    # one head per household: a question that can never be answered while there is not one
    rows.append(
        _q(
            "text",
            "one_head",
            _("Hộ phải có đúng một chủ hộ: quay lại sửa “Quan hệ với chủ hộ” của các thành viên."),
            relevant="${heads} != 1",
            required="yes",
            required_message=_("Hộ phải có đúng một chủ hộ."),
            constraint="false()",
            constraint_message=_("Hộ phải có đúng một chủ hộ."),
        )
    )
    return rows


def _constrain(row: dict, key: str | None = None) -> None:
    found = _CONSTRAINTS.get(key or row["name"])
    if found:
        row["constraint"], message = found
        row["constraint_message"] = str(message)


def _choices(standard) -> list[dict]:
    rows = [
        {"list_name": "yes_no", "name": code, "label": str(label)} for code, label in C._yes_no()
    ]
    rows += [
        {
            "list_name": INCOME_BASIS,
            "name": "per_person",
            "label": _("Nhập trực tiếp thu nhập bình quân đầu người"),
        },
        {
            "list_name": INCOME_BASIS,
            "name": "household",
            "label": _("Tính từ tổng thu nhập của hộ chia cho số nhân khẩu"),
        },
    ]
    for column in (*C.HOUSEHOLD_COLUMNS, *C.MEMBER_COLUMNS):
        if column.kind in (C.CHOICE, C.CHOICES) and column.used_by(standard):
            rows += [
                {"list_name": column.key, "name": code, "label": str(label)}
                for code, label in column.choice_list()
            ]
    return rows


# --- the commune's households -------------------------------------------------------------------


def households_csv(round_: ReviewRound, commune) -> bytes:
    """``ho.csv``: the households on the commune's list of the round (name: the household code;
    label: code and head's name; the village and address for ``pulldata``), then "Hộ mới"."""
    surveys = (
        Survey.objects.filter(round=round_, commune=commune)
        .order_by("household__code")
        .values_list("household_id", flat=True)
    )
    households = Household.objects.filter(pk__in=surveys).order_by("code")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "label", "village", "address", "head_name"])
    for h in households.values_list("code", "head_name", "village", "address").iterator():
        code, head, village, address = h
        writer.writerow([code, f"{code} - {head}", village, address, head])
    with translation.override("vi"):
        writer.writerow([NEW_HOUSEHOLD, _("Hộ mới (chưa có trong danh sách)"), "", "", ""])
    return out.getvalue().encode("utf-8")
