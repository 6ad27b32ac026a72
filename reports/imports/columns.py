"""The survey workbook's sheets and columns: one definition read by the template and the reader.

A column names the form field it feeds (``households.forms``), how a cell is read (``kind``), the
drop-down list it offers (``choices``) and what the "Hướng dẫn" sheet says about it. Headers and
sheet names are translatable; the reader accepts them in any of the portal's languages, so a
template downloaded in English reads back like one downloaded in Vietnamese.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from areas.text import fold
from households import choices

# Limits (the issue): checked before reading (size) and while reading (rows, per sheet).
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
# Sizes inside the zip (uncompressed, rows, columns, cell length): limits.py, settings IMPORT_MAX_*
MAX_MEMBERS = 60  # as the survey page's member formset (validate_max)

HOUSEHOLD_SHEET = _("Hộ")
MEMBER_SHEET = _("Thành viên")
README_SHEET = _("Hướng dẫn")
LISTS_SHEET = _("Danh mục")
ERROR_HEADER = _("Lỗi")
ROW_VERSION = "row_version"  # the pre-filled workbook's version column (plan.version_token)

# How a cell is read before the form sees it (reader.read_cell).
TEXT = "text"  # a string; a number typed in the cell becomes its digits
COMMUNE = "commune"  # 5 digits; a number loses its leading zeros in Excel, so they are put back
CITIZEN_ID = "citizen_id"  # 12 digits kept as text
INTEGER = "integer"
DECIMAL = "decimal"
DATE = "date"  # a real Excel date, or text dd/mm/yyyy
YES_NO = "yes_no"  # Có/Không or 1/0, required
FLAG = "flag"  # Có/Không or 1/0, blank means Không
CHOICE = "choice"  # one label of the list (or its code)
CHOICES = "choices"  # labels separated by ";"


def _yes_no():
    return [("1", _("Có")), ("0", _("Không"))]


@dataclass(frozen=True)
class Column:
    key: str  # the form field (or "commune" / "code" / "household", read by the reader itself)
    header: Promise
    kind: str
    help: Promise
    required: bool = False
    choices: Callable[[], Iterable[tuple[str, Promise]]] | None = None
    default: str = ""  # a blank choice cell means this code
    indicator: str = ""  # only in rounds whose standard has this indicator
    width: int = 16
    # Added after templates were handed out: a workbook without the column is read as if every
    # cell of it were blank (its default), so that officers' filled-in old templates still load.
    may_be_absent: bool = False

    def used_by(self, standard) -> bool:
        return not self.indicator or any(i.code == self.indicator for i in standard.indicators)

    def choice_list(self) -> list[tuple[str, Promise]]:
        if self.kind in (YES_NO, FLAG):
            return _yes_no()
        return list(self.choices()) if self.choices else []


def _c(key, header, kind, help_text, **kw) -> Column:
    return Column(key=key, header=header, kind=kind, help=help_text, **kw)


YES_NO_HELP = _("Có hoặc Không (hoặc 1 / 0).")
FLAG_HELP = _("Có hoặc Không (hoặc 1 / 0); để trống là Không.")

HOUSEHOLD_COLUMNS: tuple[Column, ...] = (
    _c(
        "commune",
        _("Mã xã"),
        COMMUNE,
        _(
            "Mã 5 chữ số của xã (phường, đặc khu) mà bạn được "
            "nhập liệu, có hiệu lực vào ngày bắt đầu đợt rà soát. Xem danh sách ở cuối trang này."
        ),
        required=True,
        width=10,
    ),
    _c(
        "code",
        _("Mã hộ"),
        TEXT,
        _(
            "Mã hộ trong sổ theo dõi của xã (tối đa 20 ký tự). Mã đã có: "
            "cập nhật phiếu của hộ trong đợt; mã mới: đăng ký hộ mới (hộ mới đăng ký)."
        ),
        required=True,
        width=14,
    ),
    _c("village", _("Thôn / tổ dân phố"), TEXT, _("Tối đa 100 ký tự."), required=True, width=18),
    _c("address", _("Địa chỉ"), TEXT, _("Không bắt buộc, tối đa 200 ký tự."), width=24),
    _c("is_farm_household", _("Hộ làm nông, lâm, ngư, diêm nghiệp"), FLAG, FLAG_HELP),
    _c("no_working_capacity", _("Hộ không có khả năng lao động"), FLAG, FLAG_HELP),
    _c("revolutionary_merit", _("Hộ có người có công với cách mạng"), FLAG, FLAG_HELP),
    _c("social_protection", _("Hộ thuộc đối tượng bảo trợ xã hội"), FLAG, FLAG_HELP),
    _c("requested_review", _("Hộ đề nghị được rà soát"), FLAG, FLAG_HELP),
    _c(
        "income_per_person",
        _("Thu nhập bình quân (đồng/người/tháng)"),
        INTEGER,
        _(
            "Số nguyên, đồng/người/tháng. Nhập cột này hoặc cột tổng thu nhập của hộ; có cả hai "
            "thì dùng cột này."
        ),
        width=18,
    ),
    _c(
        "household_income",
        _("Tổng thu nhập của hộ (đồng/tháng)"),
        INTEGER,
        _("Số nguyên, đồng/tháng: thu nhập bình quân = tổng thu nhập chia cho số thành viên."),
        width=18,
    ),
    _c("b1_score", _("Điểm B1"), INTEGER, _("Không bắt buộc, từ 0 đến 1.000."), width=10),
    _c("walls_durable", _("Tường bằng vật liệu bền chắc"), YES_NO, YES_NO_HELP, required=True),
    _c("columns_durable", _("Cột bằng vật liệu bền chắc"), YES_NO, YES_NO_HELP, required=True),
    _c("roof_durable", _("Mái bằng vật liệu bền chắc"), YES_NO, YES_NO_HELP, required=True),
    _c(
        "floor_area",
        _("Diện tích nhà ở (m²)"),
        DECIMAL,
        _("Số lớn hơn 0, tối đa 5.000, hai chữ số thập phân."),
        required=True,
        width=12,
    ),
    _c(
        "water_source",
        _("Nguồn nước sinh hoạt"),
        CHOICE,
        _("Chọn một giá trị trong danh sách."),
        required=True,
        choices=lambda: choices.WATER,
        width=24,
    ),
    _c("has_hygienic_latrine", _("Có nhà tiêu hợp vệ sinh"), YES_NO, YES_NO_HELP, required=True),
    _c("uses_internet", _("Có thành viên sử dụng internet"), YES_NO, YES_NO_HELP, required=True),
    _c(
        "devices",
        _("Phương tiện tiếp cận thông tin"),
        CHOICES,
        _("Không bắt buộc. Một hoặc nhiều giá trị, cách nhau bằng dấu chấm phẩy (;)."),
        choices=lambda: choices.DEVICES,
        width=24,
    ),
    _c(
        "uses_digital_services",
        _("Sử dụng dịch vụ số"),
        YES_NO,
        YES_NO_HELP,
        required=True,
        indicator="digital_services",
    ),
    _c(
        "waste_collected",
        _("Rác thải được thu gom, xử lý"),
        YES_NO,
        YES_NO_HELP,
        required=True,
        indicator="waste",
    ),
    _c(
        "causes",
        _("Nguyên nhân nghèo"),
        CHOICES,
        _("Không bắt buộc. Một hoặc nhiều giá trị, cách nhau bằng dấu chấm phẩy (;)."),
        choices=lambda: choices.Cause.choices,
        width=24,
    ),
    _c(
        "needs",
        _("Nhu cầu hỗ trợ"),
        CHOICES,
        _("Không bắt buộc. Một hoặc nhiều giá trị, cách nhau bằng dấu chấm phẩy (;)."),
        choices=lambda: choices.Need.choices,
        width=24,
    ),
    # Last: written only by the pre-filled commune workbook (``prefilled``), blank in the blank
    # template; a file without it (an old or blank template) reads as if it were blank.
    _c(
        ROW_VERSION,
        _("Phiên bản"),
        TEXT,
        _(
            "Chỉ có trong tệp có sẵn dữ liệu của xã: phiên bản của hộ lúc tải tệp. Không sửa ô "
            "này; hộ đã được sửa trên cổng sau khi tải tệp thì dòng bị từ chối. Để trống với hộ "
            "mới."
        ),
        width=12,
        may_be_absent=True,  # added in 2026-11 (issue 14)
    ),
)

MEMBER_COLUMNS: tuple[Column, ...] = (
    _c(
        "household",
        _("Mã hộ"),
        TEXT,
        _("Mã hộ như trên trang Hộ: mỗi thành viên một dòng."),
        required=True,
        width=14,
    ),
    _c("full_name", _("Họ và tên"), TEXT, _("Tối đa 100 ký tự."), required=True, width=24),
    _c(
        "sex",
        _("Giới tính"),
        CHOICE,
        _("Nam hoặc Nữ."),
        required=True,
        choices=lambda: choices.SEX,
        width=8,
    ),
    _c(
        "birth_date",
        _("Ngày sinh"),
        DATE,
        _("Ngày dạng dd/mm/yyyy (ví dụ 01/03/1985), hoặc ô kiểu ngày của Excel."),
        required=True,
        width=12,
    ),
    _c(
        "relation",
        _("Quan hệ với chủ hộ"),
        CHOICE,
        _("Mỗi hộ có đúng một Chủ hộ."),
        required=True,
        choices=lambda: choices.Relation.choices,
        width=12,
    ),
    _c(
        "ethnicity",
        _("Dân tộc"),
        CHOICE,
        _("Chọn một giá trị trong danh sách."),
        required=True,
        choices=lambda: choices.Ethnicity.choices,
        width=12,
    ),
    _c(
        "citizen_id",
        _("Số định danh cá nhân"),
        CITIZEN_ID,
        _(
            "Không bắt buộc. Đúng 12 chữ số, nhập dạng văn bản để giữ số 0 ở đầu; không trùng với "
            "người khác."
        ),
        width=16,
    ),
    _c("has_health_insurance", _("Có thẻ bảo hiểm y tế"), YES_NO, YES_NO_HELP, required=True),
    _c(
        "schooling",
        _("Tình trạng đi học"),
        CHOICE,
        _("Chọn một giá trị trong danh sách."),
        required=True,
        choices=lambda: choices.SCHOOLING,
        width=14,
    ),
    _c(
        "education_level",
        _("Trình độ cao nhất đã tốt nghiệp"),
        CHOICE,
        _("Chọn một giá trị trong danh sách."),
        required=True,
        choices=lambda: choices.EDUCATION,
        width=20,
    ),
    _c(
        "employment",
        _("Việc làm"),
        CHOICE,
        _("Chọn một giá trị trong danh sách."),
        required=True,
        choices=lambda: choices.EMPLOYMENT,
        width=24,
    ),
    _c("is_disabled", _("Người khuyết tật"), FLAG, FLAG_HELP),
    _c("has_monthly_social_allowance", _("Hưởng trợ cấp xã hội hằng tháng"), FLAG, FLAG_HELP),
    _c(
        "employer_certified_training",
        _("Có chứng nhận đào tạo nghề do người sử dụng lao động cấp"),
        FLAG,
        FLAG_HELP,
        width=18,
        may_be_absent=True,  # added in 2026-11 (indicator 5)
    ),
    _c(
        "nutrition",
        _("Dinh dưỡng (trẻ dưới 16 tuổi)"),
        CHOICE,
        _("Với trẻ dưới 16 tuổi; để trống là “Không áp dụng / chưa rõ”."),
        choices=lambda: choices.NUTRITION,
        default="unknown",
        width=20,
    ),
)


def columns_for(columns: tuple[Column, ...], standard) -> tuple[Column, ...]:
    return tuple(c for c in columns if c.used_by(standard))


def key(text) -> str:
    """How headers, sheet names and list labels are compared: case, spacing and tone marks
    ignored ("Giếng khoan", "giếng  khoan" and "gieng khoan" meet)."""
    return _key(str(text))


@lru_cache(maxsize=4096)  # a file repeats the same few labels thousands of times
def _key(text: str) -> str:
    return fold(" ".join(text.split()))


def in_every_language(text: Promise) -> set[str]:
    """The keys of a translatable string in each of the portal's languages."""
    found = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(key(text))
    return found


def choice_lookup(column: Column) -> dict[str, str]:
    """label key -> code, for every language, plus the codes themselves ("piped"). Build it once
    per column and file: it translates every label."""
    lookup: dict[str, str] = {}
    ambiguous: set[str] = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            labels = {key(label): code for code, label in column.choice_list()}
        for label, value in labels.items():
            if lookup.get(label, value) != value:
                ambiguous.add(label)
            lookup[label] = value
    for value, _label in column.choice_list():
        lookup.setdefault(key(value), value)
    if column.kind in (YES_NO, FLAG):
        lookup.update({"co": "1", "khong": "0", "yes": "1", "no": "0", "x": "1"})
    for label in ambiguous:
        del lookup[label]
    return lookup
