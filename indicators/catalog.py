"""The indicator catalog: what the rollups compute, as data (loaded into ``Indicator`` rows).

Each indicator is a formula over the totals a rollup keeps per unit (see ``rollups.FIELDS``):
- ``count``: the total ``numerator``;
- ``rate``: numerator ÷ denominator × 100;
- ``reduction``: last round's rate minus this round's, in percentage points, where last round is
  re-aggregated onto this round's units (``prev_<numerator>`` ÷ ``prev_<denominator>``).
Program outputs (projects, models, trainings) use kind ``program`` and are computed by
``indicators.program``.
"""

from __future__ import annotations

from dataclasses import dataclass

from households.standards import STANDARDS


@dataclass(frozen=True)
class Definition:
    code: str
    name_vi: str
    name_en: str
    kind: str  # count | rate | reduction | program
    numerator: str = ""
    denominator: str = ""
    unit: str = "%"  # "%", "điểm %" (points), "hộ", "người", "mô hình", "dự án"
    persons: bool = False
    higher_is_better: bool = True
    group: str = "poverty"  # poverty | deprivation | transition | program


def _poverty() -> list[Definition]:
    d = Definition
    return [
        d("households", "Số hộ dân cư", "Resident households", "count", "households", unit="hộ"),
        d("persons", "Số nhân khẩu", "Resident persons", "count", "persons", unit="người",
          persons=True),
        d("poor_households", "Số hộ nghèo", "Poor households", "count", "poor", unit="hộ",
          higher_is_better=False),
        d("poor_rate", "Tỷ lệ hộ nghèo", "Poor-household rate", "rate", "poor", "households",
          higher_is_better=False),
        d("poor_persons", "Số nhân khẩu hộ nghèo", "Persons in poor households", "count",
          "poor_persons", unit="người", persons=True, higher_is_better=False),
        d("poor_persons_rate", "Tỷ lệ người nghèo", "Poor-person rate", "rate", "poor_persons",
          "persons", persons=True, higher_is_better=False),
        d("near_poor_households", "Số hộ cận nghèo", "Near-poor households", "count", "near",
          unit="hộ", higher_is_better=False),
        d("near_poor_rate", "Tỷ lệ hộ cận nghèo", "Near-poor-household rate", "rate", "near",
          "households", higher_is_better=False),
        d("near_poor_persons", "Số nhân khẩu hộ cận nghèo", "Persons in near-poor households",
          "count", "near_persons", unit="người", persons=True, higher_is_better=False),
        d("average_households", "Số hộ có mức sống trung bình", "Average-living households",
          "count", "average", unit="hộ"),
        d("average_rate", "Tỷ lệ hộ có mức sống trung bình", "Average-living rate", "rate",
          "average", "households"),
        d("multidim_rate", "Tỷ lệ nghèo đa chiều (nghèo + cận nghèo)",
          "Multidimensional poverty rate (poor + near-poor)", "rate", "poor_or_near",
          "households", higher_is_better=False),
        d("poor_rate_reduction", "Mức giảm tỷ lệ hộ nghèo", "Reduction of the poor rate",
          "reduction", "poor", "households", unit="điểm %"),
        d("near_poor_rate_reduction", "Mức giảm tỷ lệ hộ cận nghèo",
          "Reduction of the near-poor rate", "reduction", "near", "households", unit="điểm %"),
        d("multidim_rate_reduction", "Mức giảm tỷ lệ nghèo đa chiều",
          "Reduction of the multidimensional poverty rate", "reduction", "poor_or_near",
          "households", unit="điểm %"),
        d("em_households", "Số hộ dân tộc thiểu số", "Ethnic-minority households", "count",
          "em_households", unit="hộ"),
        d("em_poor_rate", "Tỷ lệ hộ nghèo dân tộc thiểu số", "Ethnic-minority poor rate", "rate",
          "em_poor", "em_households", higher_is_better=False),
        d("em_poor_rate_reduction", "Mức giảm tỷ lệ hộ nghèo dân tộc thiểu số",
          "Reduction of the ethnic-minority poor rate", "reduction", "em_poor", "em_households",
          unit="điểm %"),
    ]  # fmt: skip


def indicator_codes() -> list[tuple[str, str, str]]:
    """(code, name_vi, name_en) of every deprivation indicator of every standard, in order."""
    seen: dict[str, tuple[str, str, str]] = {}
    for standard in STANDARDS:
        for ind in standard.indicators:
            seen.setdefault(ind.code, (ind.code, ind.name_vi, ind.name_en))
    return list(seen.values())


def _deprivation() -> list[Definition]:
    rows = []
    classes = (("poor", "hộ nghèo", "poor"), ("near", "hộ cận nghèo", "near-poor"))
    for cls, vi, en in classes:
        for code, name_vi, name_en in indicator_codes():
            rows.append(
                Definition(
                    f"dep_{cls}_{code}",
                    f"Số {vi} thiếu hụt: {name_vi}",
                    f"{en.capitalize()} households deprived: {name_en}",
                    "count",
                    f"dep_{cls}_{code}",
                    unit="hộ",
                    higher_is_better=False,
                    group="deprivation",
                )
            )
            rows.append(
                Definition(
                    f"dep_{cls}_{code}_share",
                    f"Tỷ lệ {vi} thiếu hụt: {name_vi}",
                    f"Share of {en} households deprived: {name_en}",
                    "rate",
                    f"dep_{cls}_{code}",
                    cls,
                    higher_is_better=False,
                    group="deprivation",
                )
            )
    return rows


# The transitions that the official change reports (Circular 07/2021) count.
TRANSITIONS = (
    ("poor_to_near_poor", "Thoát nghèo, trở thành cận nghèo", "Escaped poverty to near-poor"),
    ("poor_to_none", "Thoát nghèo, vượt chuẩn cận nghèo", "Escaped poverty above near-poor line"),
    ("near_poor_to_poor", "Từ cận nghèo thành nghèo", "Near-poor to poor"),
    ("re_poor", "Tái nghèo", "Re-poor"),
    ("newly_poor", "Nghèo phát sinh", "Newly poor"),
    ("near_poor_to_none", "Thoát cận nghèo", "Escaped near-poverty"),
    ("re_near_poor", "Tái cận nghèo", "Re-near-poor"),
    ("newly_near_poor", "Cận nghèo phát sinh", "Newly near-poor"),
    ("other_increase_poor", "Tăng khác (nghèo)", "Other increase (poor)"),
    ("other_decrease_poor", "Giảm khác (nghèo)", "Other decrease (poor)"),
    ("other_increase_near_poor", "Tăng khác (cận nghèo)", "Other increase (near-poor)"),
    ("other_decrease_near_poor", "Giảm khác (cận nghèo)", "Other decrease (near-poor)"),
)


def _transitions() -> list[Definition]:
    return [
        Definition(f"t_{code}", vi, en, "count", f"t_{code}", unit="hộ", group="transition")
        for code, vi, en in TRANSITIONS
    ] + [
        Definition("poor_start", "Số hộ nghèo đầu kỳ", "Poor households at start", "count",
                   "prev_poor", unit="hộ", group="transition", higher_is_better=False),
        Definition("near_poor_start", "Số hộ cận nghèo đầu kỳ", "Near-poor households at start",
                   "count", "prev_near", unit="hộ", group="transition", higher_is_better=False),
    ]  # fmt: skip


def _program() -> list[Definition]:
    d = Definition
    return [
        d("models_built", "Số mô hình giảm nghèo được xây dựng, nhân rộng",
          "Poverty-reduction models built or replicated", "program", unit="mô hình",
          group="program"),
        d("models_replicated", "Số mô hình được nhân rộng", "Models replicated", "program",
          unit="mô hình", group="program"),
        d("projects_approved", "Số dự án hỗ trợ phát triển sản xuất được phê duyệt",
          "Production-support projects approved", "program", unit="dự án", group="program"),
        d("workers_supported_share",
          "Tỷ lệ người có khả năng lao động thuộc hộ nghèo được hỗ trợ nâng cao năng lực sản xuất",
          "Share of able workers in poor households supported in production capacity",
          "program", group="program"),
        d("sustainable_employment_share",
          "Tỷ lệ hộ nghèo, cận nghèo có thành viên có việc làm bền vững",
          "Share of poor and near-poor households with a member in sustainable employment",
          "program", group="program"),
        d("staff_trained_share", "Tỷ lệ cán bộ giảm nghèo được tập huấn trong năm",
          "Share of poverty-reduction staff trained this year", "program", group="program"),
    ]  # fmt: skip


def _support() -> list[Definition]:
    """Household support (support/measures.py, docs/support.md)."""
    d = Definition
    return [
        d("poor_near_with_helper_share",
          "Tỷ lệ hộ nghèo, cận nghèo được phân công người giúp đỡ",
          "Share of poor and near-poor households with an assigned helper", "program",
          group="program"),
        d("poor_near_with_plan_share", "Tỷ lệ hộ nghèo, cận nghèo có kế hoạch hỗ trợ",
          "Share of poor and near-poor households with a support plan", "program",
          group="program"),
        d("poor_near_supported_share",
          "Tỷ lệ hộ nghèo, cận nghèo được hỗ trợ trong năm",
          "Share of poor and near-poor households supported this year", "program",
          group="program"),
        d("households_supported", "Số hộ nghèo, cận nghèo được hỗ trợ trong năm",
          "Poor and near-poor households supported this year", "program", unit="hộ",
          group="program"),
    ]  # fmt: skip


def _funds() -> list[Definition]:
    """The program's funds (finance.measures): allocations to communes and projects of the
    round's year."""
    d = Definition
    return [
        d("disbursement_rate", "Tỷ lệ giải ngân vốn đã phân bổ về xã, dự án",
          "Share of the funds allocated to communes and projects disbursed", "program",
          group="program"),
        d("funds_disbursed", "Vốn chương trình đã giải ngân", "Program funds disbursed",
          "program", unit="triệu đồng", group="program"),
    ]  # fmt: skip


def _monitoring() -> list[Definition]:
    """Inspection and supervision (monitoring/indicators.py)."""
    d = Definition
    return [
        d("monitoring_visits", "Lượt kiểm tra, giám sát xã (mỗi xã của một đợt tính một lượt)",
          "Commune-visits of inspection and supervision (a visit counts once per commune)",
          "program", unit="lượt", group="program"),
        d("recommendations_done_share",
          "Tỷ lệ kiến nghị sau kiểm tra, giám sát đến hạn trong năm đã thực hiện",
          "Share of inspection recommendations due this year that were carried out",
          "program", group="program"),
    ]  # fmt: skip


def _contributions() -> list[Definition]:
    """The "Vì người nghèo" fund (contributions/measures.py): received by communes' own funds."""
    d = Definition
    return [
        d("contributions_received", "Đóng góp Quỹ Vì người nghèo của xã tiếp nhận trong năm",
          "Contributions received by the communes' funds for the poor in the year", "program",
          unit="triệu đồng", group="program"),
    ]  # fmt: skip


def _communication() -> list[Definition]:
    """Project 6: communication and information poverty (communication/measures.py)."""
    d = Definition
    return [
        d("communication_activities",
          "Số hoạt động truyền thông giảm nghèo do xã thực hiện trong năm",
          "Poverty-reduction communication activities held by the commune in the year",
          "program", unit="hoạt động", group="program"),
        d("communication_reach",
          "Số lượt người tham dự, tiếp cận hoạt động truyền thông của xã trong năm",
          "People reached by the commune's communication activities in the year",
          "program", unit="lượt người", group="program"),
        d("information_support_households",
          "Số hộ nghèo, cận nghèo được hỗ trợ giảm nghèo về thông tin trong năm",
          "Poor and near-poor households given information-poverty support in the year",
          "program", unit="hộ", group="program"),
    ]  # fmt: skip


def _labour() -> list[Definition]:
    """Project 4, labour and employment (labour/measures.py)."""
    d = Definition
    return [
        d("training_needs_workers",
          "Người lao động hộ nghèo, cận nghèo được khảo sát nhu cầu đào tạo nghề trong năm",
          "Workers of poor and near-poor households surveyed on training needs this year",
          "program", unit="người", group="program"),
        d("job_fair_hires", "Người được tuyển dụng qua phiên giao dịch việc làm do xã tổ chức",
          "Hires at job fairs organised by the commune", "program", unit="người",
          group="program"),
        d("workers_placed_abroad",
          "Người lao động đi làm việc ở nước ngoài theo hợp đồng trong năm",
          "Workers placed abroad under contract this year", "program", unit="người",
          group="program"),
    ]  # fmt: skip


def definitions() -> list[Definition]:
    return [
        *_poverty(), *_deprivation(), *_transitions(), *_program(), *_support(), *_funds(),
        *_monitoring(), *_contributions(), *_communication(), *_labour(),
    ]  # fmt: skip
