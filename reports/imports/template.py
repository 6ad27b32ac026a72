"""The downloadable survey workbook: "Hộ", "Thành viên", "Hướng dẫn", and a hidden "Danh mục".

Made for one round and one user: the survey columns follow the round's standard (the Decree
351/2025 indicators only from the 2027 review), and the commune drop-down lists the communes the
user may enter data for at the round's date. Drop-downs (openpyxl ``DataValidation``) read their
values from the hidden "Danh mục" sheet: labels contain commas, which a literal list cannot hold.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from areas.scope import Capability, user_scope
from households.models import ReviewRound

from . import columns as C

HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
REQUIRED_FILL = PatternFill(fill_type="solid", start_color="FFFCE4D6", end_color="FFFCE4D6")
VALIDATED_ROWS = 5000  # rows given drop-downs and formats; more rows can be typed or pasted
LIST_KINDS = (C.CHOICE, C.YES_NO, C.FLAG)
HOW_TO = (
    gettext_lazy(
        "• Trang “Hộ”: mỗi hộ một dòng, bắt đầu từ dòng 2. Trang “Thành viên”: mỗi thành viên "
        "một dòng, nối với hộ bằng cột Mã hộ."
    ),
    gettext_lazy(
        "• Mã hộ đã có: phiếu của hộ trong đợt được cập nhật (chỉ khi có thay đổi; nhập lại "
        "cùng tệp không thay đổi gì). Mã hộ mới: hộ được đăng ký mới. Hộ có trong danh sách "
        "của xã nhưng không có trong tệp được giữ nguyên."
    ),
    gettext_lazy(
        "• Thành viên của hộ đã có: danh sách trong tệp là danh sách đầy đủ; người không còn "
        "trong tệp được ghi là không còn trong hộ (vẫn lưu trong lịch sử)."
    ),
    gettext_lazy(
        "• Có / Không: chọn ở ô thả xuống, hoặc nhập 1 / 0. Nhiều giá trị trong một ô: cách "
        "nhau bằng dấu chấm phẩy (;). Ngày: dd/mm/yyyy."
    ),
    gettext_lazy(
        "• Không dùng công thức hay gộp ô trong vùng dữ liệu; không đổi tên trang và tiêu đề "
        "cột. Cột được tô cam là cột bắt buộc."
    ),
    gettext_lazy(
        "• Tệp .xlsx tối đa 20 MB và 50.000 dòng mỗi trang. Tệp được kiểm tra toàn bộ trước: "
        "có lỗi thì không ghi gì, bạn nhận lại tệp có cột “Lỗi” và các ô lỗi tô đỏ."
    ),
)

PREFILLED_HOW_TO = (
    gettext_lazy(
        "• Mỗi hộ trong danh sách rà soát của xã một dòng, với câu trả lời hiện có (hộ chưa rà "
        "soát trong đợt: câu trả lời của lần rà soát trước). Chỉ sửa các ô cần sửa rồi tải tệp "
        "lên trang Nhập từ Excel: dòng không sửa thì không ghi gì."
    ),
    gettext_lazy(
        "• Không sửa cột “Phiên bản”. Hộ đã được sửa trên cổng sau khi tải tệp thì cả tệp bị "
        "từ chối (dòng đó được chỉ rõ): tải lại tệp có sẵn dữ liệu và sửa trên tệp mới."
    ),
    gettext_lazy(
        "• Tệp có họ tên, ngày sinh, số định danh cá nhân (Nghị định 13/2023/NĐ-CP): chỉ dùng "
        "cho công tác giảm nghèo, không gửi cho người khác."
    ),
)


def enterable_communes(user, round_: ReviewRound):
    """Communes the user may enter data for today that exist at the round's date."""
    day = round_.reference_date
    return [
        unit
        for unit in user_scope(user).communes(Capability.ENTER).order_by("code")
        if unit.is_valid_on(day)
    ]


def build(*, user, round_: ReviewRound, rows=None, commune=None) -> bytes:
    """The blank template; with ``rows`` (household rows, member rows: dicts keyed by column key,
    as ``write_rows`` takes them), the workbook pre-filled for ``commune`` (``prefilled``)."""
    standard = round_.get_standard()
    communes = enterable_communes(user, round_)
    workbook = Workbook()
    households = workbook.active
    households.title = str(C.HOUSEHOLD_SHEET)
    members = workbook.create_sheet(str(C.MEMBER_SHEET))
    readme = workbook.create_sheet(str(C.README_SHEET))
    lists = workbook.create_sheet(str(C.LISTS_SHEET))
    lists.sheet_state = "hidden"
    ranges = _lists(lists, communes, standard)
    filled = rows or ([], [])
    for ws, spec, data in (
        (households, C.HOUSEHOLD_COLUMNS, filled[0]),
        (members, C.MEMBER_COLUMNS, filled[1]),
    ):
        _data_sheet(ws, C.columns_for(spec, standard), ranges, data)
    _readme(readme, round_, standard, communes, commune=commune)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _lists(ws, communes, standard) -> dict[str, str]:
    """One column per list; returns column key -> absolute range for the drop-downs."""
    ranges: dict[str, str] = {}
    index = 0
    seen: dict[tuple, str] = {}
    for column in (*C.HOUSEHOLD_COLUMNS, *C.MEMBER_COLUMNS):
        if column.kind not in LIST_KINDS or not column.used_by(standard):
            continue
        labels = tuple(str(label) for _code, label in column.choice_list())
        if labels not in seen:
            index += 1
            letter = get_column_letter(index)
            ws.cell(row=1, column=index, value=str(column.header))
            for n, label in enumerate(labels, start=2):
                ws.cell(row=n, column=index, value=label)
            end = len(labels) + 1
            seen[labels] = f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${end}"
        ranges[column.key] = seen[labels]
    index += 1
    letter = get_column_letter(index)
    ws.cell(row=1, column=index, value=str(C.HOUSEHOLD_COLUMNS[0].header))
    for n, unit in enumerate(communes, start=2):
        ws.cell(row=n, column=index, value=unit.code).number_format = "@"
    if communes:
        ranges["commune"] = f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${len(communes) + 1}"
    return ranges


NUMBER_FORMATS = {
    C.TEXT: "@",
    C.COMMUNE: "@",
    C.CITIZEN_ID: "@",
    C.DATE: "DD/MM/YYYY",
    C.INTEGER: "#,##0",
    C.DECIMAL: "0.00",
}


def _data_sheet(ws, columns: tuple[C.Column, ...], ranges: dict[str, str], rows=()) -> None:
    last = max(VALIDATED_ROWS, len(rows) + 1000) + 1
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=str(column.header))
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = column.width
        number_format = NUMBER_FORMATS.get(column.kind)
        if number_format:
            # Column styles apply to cells typed later (Excel, LibreOffice); text keeps the
            # leading zeros of codes and citizen IDs.
            ws.column_dimensions[letter].number_format = number_format
        if column.key in ranges:
            validation = DataValidation(
                type="list",
                formula1=ranges[column.key],
                allow_blank=not column.required,
                showErrorMessage=True,
                errorStyle="stop",
                errorTitle=str(column.header),
                error=_("Chọn một giá trị trong danh sách (xem trang Hướng dẫn)."),
                promptTitle=str(column.header)[:32],
                prompt=str(column.help)[:255],
                showInputMessage=True,
            )
            validation.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(validation)
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            value = row.get(column.key)
            if value is None or value == "":
                continue
            cell = ws.cell(row=number, column=index, value=value)
            if column.kind in NUMBER_FORMATS:
                # text stays text (leading zeros), dates show dd/mm/yyyy, as typed cells would
                cell.number_format = NUMBER_FORMATS[column.kind]
    ws.freeze_panes = "C2" if columns and columns[0].key == "commune" else "B2"
    ws.row_dimensions[1].height = 45


def _readme(ws, round_: ReviewRound, standard, communes, commune=None) -> None:
    bold = Font(bold=True)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 90
    lines = [
        (_("Tệp mẫu nhập phiếu rà soát hộ nghèo, hộ cận nghèo"), True),
        (
            _("Đợt rà soát: %(round)s (từ %(start)s), chuẩn nghèo: %(standard)s.")
            % {
                "round": round_,
                "start": date_format(round_.starts_on, "SHORT_DATE_FORMAT"),
                "standard": standard.name_vi,
            },
            False,
        ),
        *(_prefilled_lines(commune) if commune is not None else []),
        (_("Cách nhập:"), True),
        *((str(line), False) for line in HOW_TO),
    ]
    row = 1
    for text, is_title in lines:
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(bold=True, size=14) if row == 1 else (bold if is_title else Font())
        row += 1
    row += 1
    for col, title in enumerate((_("Trang"), _("Cột"), _("Bắt buộc"), _("Cách nhập")), 1):
        ws.cell(row=row, column=col, value=title).font = bold
    row += 1
    for sheet, spec in (
        (C.HOUSEHOLD_SHEET, C.HOUSEHOLD_COLUMNS),
        (C.MEMBER_SHEET, C.MEMBER_COLUMNS),
    ):
        for column in C.columns_for(spec, standard):
            allowed = ""
            if column.kind in (C.CHOICE, C.CHOICES):
                allowed = " " + _("Giá trị: %(values)s.") % {
                    "values": "; ".join(str(label) for _c, label in column.choice_list())
                }
            values = (
                str(sheet),
                str(column.header),
                _("Có") if column.required else "",
                f"{column.help}{allowed}",
            )
            for col, value in enumerate(values, 1):
                ws.cell(row=row, column=col, value=value).alignment = Alignment(
                    wrap_text=True, vertical="top"
                )
            row += 1
    row += 1
    ws.cell(row=row, column=1, value=_("Các xã bạn được nhập liệu")).font = bold
    row += 1
    for unit in communes:
        ws.cell(row=row, column=1, value=unit.code).number_format = "@"
        ws.cell(row=row, column=2, value=unit.label)
        row += 1


def _prefilled_lines(commune) -> list[tuple[str, bool]]:
    return [
        (
            _("Tệp có sẵn dữ liệu của %(commune)s (mã %(code)s) lúc %(at)s.")
            % {
                "commune": commune.label,
                "code": commune.code,
                "at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            },
            True,
        ),
        *((str(line), False) for line in PREFILLED_HOW_TO),
    ]


def write_rows(households, members, *, standard) -> bytes:
    """A workbook in the template's layout holding the given values (dicts keyed by column key,
    as a user would type them: labels, "Có"/"Không", dates). Write-only mode, so that the bench's
    10,000-household file costs little memory; used by the bench and the tests."""
    workbook = Workbook(write_only=True)
    for title, spec, rows in (
        (C.HOUSEHOLD_SHEET, C.HOUSEHOLD_COLUMNS, households),
        (C.MEMBER_SHEET, C.MEMBER_COLUMNS, members),
    ):
        ws = workbook.create_sheet(str(title))
        used = C.columns_for(spec, standard)
        ws.append([str(c.header) for c in used])
        for row in rows:
            ws.append([row.get(c.key) for c in used])
    workbook.create_sheet(str(C.README_SHEET)).append([str(C.README_SHEET)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
