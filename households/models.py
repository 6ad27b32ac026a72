"""Households, their members, review rounds, surveys and commune submissions.

How a round works (docs/review.md):
- Opening a periodic round gives every active household one ``Survey`` row, the household's
  entry on its commune's list: ``pending`` when it must be reviewed (poor or near-poor last time,
  or it asked), ``carried_over`` otherwise (its class is copied; nothing to enter).
- The officer fills pending surveys in the browser; the rules classify them on save.
- A household that leaves the list (moved out, merged, died) gets an ``Exclusion`` instead.
- Every survey and exclusion stores the household's previous class and its transition, so the
  balance of DOMAIN.md §4 is a set-based count over one round.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from areas.models import Unit

from . import choices
from .standards import STANDARDS, PovertyClass

STANDARD_CHOICES = [(s.code, s.name_vi) for s in STANDARDS]


class RoundKind(models.TextChoices):
    PERIODIC = "periodic", _("Rà soát định kỳ hằng năm")
    REGULAR = "regular", _("Rà soát thường xuyên")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Đang mở")
    CLOSED = "closed", _("Đã đóng")


class ReviewRound(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại rà soát"), max_length=10, choices=RoundKind.choices)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    standard = models.CharField(_("chuẩn nghèo áp dụng"), max_length=20, choices=STANDARD_CHOICES)
    # Set when an administrator chose another standard than the one in force for the review year.
    standard_reason = models.TextField(_("lý do áp dụng chuẩn khác"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    # The timetable (households/timetable.py): editable by administrators on the round's page.
    commune_due = models.DateField(_("hạn xã gửi kết quả lên huyện"))
    district_due = models.DateField(_("hạn huyện tiếp nhận kết quả của xã"))
    province_due = models.DateField(_("hạn tỉnh tổng hợp, báo cáo"))
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đợt rà soát")
        verbose_name_plural = _("đợt rà soát")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(kind="periodic"), name="one_periodic_round_a_year"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="round_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(
                    commune_due__gte=F("starts_on"),
                    district_due__gte=F("commune_due"),
                    province_due__gte=F("district_due"),
                    ends_on__gte=F("province_due"),
                ),
                name="round_dues_ordered",
                violation_error_message=_(
                    "Các hạn phải theo thứ tự trong thời gian của đợt: ngày bắt đầu ≤ hạn xã gửi "
                    "≤ hạn huyện tiếp nhận ≤ hạn tỉnh tổng hợp ≤ ngày kết thúc."
                ),
            ),
        ]

    def __str__(self) -> str:
        if self.kind == RoundKind.PERIODIC:
            return _("Rà soát định kỳ năm %(year)s") % {"year": self.year}
        return _("Rà soát thường xuyên %(month)s") % {"month": self.starts_on.strftime("%m/%Y")}

    def save(self, *args, **kwargs):
        # A round created without a timetable (the demo, tests, imports) gets the default one.
        from .timetable import default_dues

        for field, day in default_dues(self.kind, self.starts_on, self.ends_on).items():
            if getattr(self, field) is None:
                setattr(self, field, day)
        super().save(*args, **kwargs)

    @property
    def reference_date(self):
        """Ages are computed and units looked up on the round's first day."""
        return self.starts_on

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    def get_standard(self):
        from .standards import standard_by_code

        return standard_by_code(self.standard)


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Đang cư trú")
    REMOVED = "removed", _("Đã ra khỏi danh sách")


class Household(models.Model):
    code = models.CharField(_("mã hộ"), max_length=20, unique=True)
    commune = models.ForeignKey(
        Unit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="households"
    )
    village = models.CharField(_("thôn / tổ dân phố"), max_length=100)
    address = models.CharField(_("địa chỉ"), max_length=200, blank=True)
    # Kept in step with the head member by the services, for lists and filters without joins.
    head_name = models.CharField(_("chủ hộ"), max_length=100, db_index=True)
    head_name_folded = models.CharField(max_length=100, db_index=True, editable=False)
    is_ethnic_minority = models.BooleanField(_("hộ dân tộc thiểu số"), default=False)
    is_farm_household = models.BooleanField(_("hộ làm nông, lâm, ngư, diêm nghiệp"), default=False)
    no_working_capacity = models.BooleanField(_("hộ không có khả năng lao động"), default=False)
    revolutionary_merit = models.BooleanField(_("hộ có người có công với cách mạng"), default=False)
    social_protection = models.BooleanField(_("hộ thuộc đối tượng bảo trợ xã hội"), default=False)
    requested_review = models.BooleanField(
        _("hộ đề nghị được rà soát"),
        default=False,
        help_text=_("Hộ có giấy đề nghị: được đưa vào danh sách rà soát của đợt tới."),
    )
    status = models.CharField(
        max_length=10, choices=HouseholdStatus.choices, default=HouseholdStatus.ACTIVE
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["commune", "village"]),
            # The API's households list (api.pagination.KeysetPagination) pages in (commune, id)
            # order: with the commune index alone, one commune's deep page at 1,000,000
            # households walked the primary key through 970,000 rows (bench/results/api-pages.txt).
            models.Index(fields=["commune", "id"], name="household_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.head_name}"


class Member(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("họ và tên"), max_length=100)
    sex = models.CharField(_("giới tính"), max_length=6, choices=choices.SEX)
    birth_date = models.DateField(_("ngày sinh"))
    relation = models.CharField(
        _("quan hệ với chủ hộ"), max_length=12, choices=choices.Relation.choices
    )
    ethnicity = models.CharField(
        _("dân tộc"),
        max_length=12,
        choices=choices.Ethnicity.choices,
        default=choices.Ethnicity.KINH,
    )
    citizen_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    has_health_insurance = models.BooleanField(_("có thẻ bảo hiểm y tế"), default=True)
    # The level attended now (migration 0006 turned the old "in school" into the level that fits
    # the member's age, so that no classification changed).
    schooling = models.CharField(_("tình trạng đi học"), max_length=16, choices=choices.SCHOOLING)
    education_level = models.CharField(
        _("trình độ cao nhất đã tốt nghiệp"), max_length=16, choices=choices.EDUCATION
    )
    employer_certified_training = models.BooleanField(
        _("có chứng nhận đào tạo nghề do người sử dụng lao động cấp"),
        default=False,
        help_text=_(
            "Đào tạo nghề tại nơi làm việc, được doanh nghiệp hoặc người sử dụng lao động cấp "
            "chứng chỉ, chứng nhận: được tính là đã qua đào tạo nghề (chỉ số 5)."
        ),
    )
    employment = models.CharField(_("việc làm"), max_length=20, choices=choices.EMPLOYMENT)
    is_disabled = models.BooleanField(_("người khuyết tật"), default=False)
    has_monthly_social_allowance = models.BooleanField(
        _("hưởng trợ cấp xã hội hằng tháng"), default=False
    )
    nutrition = models.CharField(
        _("dinh dưỡng (trẻ dưới 16 tuổi)"),
        max_length=12,
        choices=choices.NUTRITION,
        default="unknown",
    )
    # A member who died or left stays on record (history) but no longer counts.
    is_current = models.BooleanField(_("còn trong hộ"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        ordering = ["household", "id"]
        constraints = [
            # Decree 13/2023 data quality: one living person, one citizen ID.
            models.UniqueConstraint(
                fields=["citizen_id"],
                condition=Q(is_current=True) & ~Q(citizen_id=""),
                name="citizen_id_unique_among_current_members",
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class SurveyStatus(models.TextChoices):
    PENDING = "pending", _("Chưa rà soát")
    SURVEYED = "surveyed", _("Đã rà soát")
    CARRIED_OVER = "carried_over", _("Giữ kết quả kỳ trước")


class Survey(models.Model):
    """A household's entry in a round: its facts, classification and change since last round."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="surveys")
    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="surveys")
    # Where the household was in this round (a unit valid at the round's date).
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="surveys")
    status = models.CharField(
        _("trạng thái"), max_length=14, choices=SurveyStatus.choices, default="pending"
    )
    arrival = models.CharField(
        _("lý do bổ sung vào danh sách"),
        max_length=10,
        choices=choices.Arrival.choices,
        blank=True,
    )
    # --- form B1: income ------------------------------------------------------------------
    income_per_person = models.PositiveBigIntegerField(
        _("thu nhập bình quân (đồng/người/tháng)"), null=True, blank=True
    )
    household_income = models.PositiveBigIntegerField(
        _("tổng thu nhập của hộ (đồng/tháng)"), null=True, blank=True
    )
    b1_score = models.PositiveSmallIntegerField(_("điểm B1"), null=True, blank=True)
    # --- form B2: living conditions ----------------------------------------------------------
    walls_durable = models.BooleanField(_("tường bằng vật liệu bền chắc"), default=True)
    columns_durable = models.BooleanField(_("cột bằng vật liệu bền chắc"), default=True)
    roof_durable = models.BooleanField(_("mái bằng vật liệu bền chắc"), default=True)
    floor_area = models.DecimalField(
        _("diện tích nhà ở (m²)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    water_source = models.CharField(
        _("nguồn nước sinh hoạt"), max_length=20, choices=choices.WATER, blank=True
    )
    has_hygienic_latrine = models.BooleanField(_("có nhà tiêu hợp vệ sinh"), default=True)
    uses_internet = models.BooleanField(_("có thành viên sử dụng internet"), default=True)
    devices = models.CharField(_("phương tiện tiếp cận thông tin"), max_length=80, blank=True)
    uses_digital_services = models.BooleanField(_("sử dụng dịch vụ số"), default=True)
    waste_collected = models.BooleanField(_("rác thải được thu gom, xử lý"), default=True)
    # Comma-wrapped code lists (",land,capital,") so "has cause X" is a portable LIKE filter.
    causes = models.CharField(_("nguyên nhân nghèo"), max_length=120, blank=True)
    needs = models.CharField(_("nhu cầu hỗ trợ"), max_length=120, blank=True)
    # --- results, written by the services from the rules ------------------------------------
    is_urban = models.BooleanField(default=False)
    is_ethnic_minority = models.BooleanField(default=False)
    member_count = models.PositiveSmallIntegerField(default=0)
    members_snapshot = models.JSONField(default=list, blank=True)
    deprived_count = models.PositiveSmallIntegerField(default=0)
    b2_score = models.PositiveSmallIntegerField(default=0)
    poverty_class = models.CharField(
        _("phân loại"), max_length=10, choices=choices.POVERTY_CLASS, blank=True
    )
    previous_class = models.CharField(max_length=10, choices=choices.POVERTY_CLASS, blank=True)
    transition = models.CharField(
        _("biến động"), max_length=24, choices=choices.TRANSITION, blank=True
    )
    # How the entry counts in the round's figures (the one definition, computed by the database):
    # a pending entry counts with its previous class until it is surveyed; a surveyed or
    # carried-over entry with its class. Stored and indexed so class filters, list totals, exports
    # and rollups read one indexed column at province scale.
    effective_class = models.GeneratedField(
        expression=Case(
            When(status="pending", then=F("previous_class")),
            default=F("poverty_class"),
            output_field=models.CharField(max_length=10),
        ),
        output_field=models.CharField(max_length=10, choices=choices.POVERTY_CLASS),
        db_persist=True,
    )
    version = models.PositiveIntegerField(default=1)
    surveyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    surveyed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["members_snapshot", "effective_class"])

    class Meta:
        verbose_name = _("phiếu rà soát")
        verbose_name_plural = _("phiếu rà soát")
        ordering = ["round", "household"]
        constraints = [
            models.UniqueConstraint(fields=["household", "round"], name="one_survey_per_round"),
        ]
        indexes = [
            models.Index(fields=["round", "commune", "poverty_class"]),
            models.Index(fields=["round", "status"]),
            # Class filters, list totals, exports and the rollup (indicators.rollups,
            # bench/floor.sql) read a round's entries through this index; it carries every
            # column the rollup counts, so that a round's totals are an index-only scan of a few
            # MB instead of a visit to every page of the table (a round's entries are spread over
            # all of them). The INCLUDE part is PostgreSQL's; SQLite gets the plain key.
            models.Index(
                fields=["round", "commune", "effective_class"],
                include=[
                    "status",
                    "member_count",
                    "is_ethnic_minority",
                    "arrival",
                    "previous_class",
                    "transition",
                    "poverty_class",
                    "household",
                    "id",
                ],
                name="survey_round_commune_class",
            ),
            # The household list's order (households.paging): a round's entries by commune, then
            # household, so a page (first, next or last) reads only its own rows; the same under
            # the class filter ...
            models.Index(fields=["round", "commune", "household"], name="survey_list_order"),
            models.Index(
                fields=["round", "effective_class", "commune", "household"],
                name="survey_list_class_order",
            ),
            # ... and under the transition filter, whose values can be rare (re-poor, newly
            # poor): without it the last page scans the whole round to find a few rows.
            models.Index(
                fields=["round", "transition", "commune", "household"],
                name="survey_list_transition_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household.code} · {self.round}"

    @property
    def device_list(self) -> list[str]:
        return [d for d in self.devices.split(",") if d]

    @property
    def is_poor(self) -> bool:
        return self.poverty_class == PovertyClass.POOR.value


class SurveyDeprivation(models.Model):
    """One deprived indicator of a survey, with the reasons the rules gave (for display)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="deprivations")
    indicator = models.CharField(max_length=24)
    reasons = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "indicator"], name="one_row_per_indicator")
        ]
        indexes = [models.Index(fields=["indicator", "survey"])]

    def __str__(self) -> str:
        return self.indicator


class Exclusion(models.Model):
    """A household leaves a commune's list in a round (moved out, merged, died)."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="exclusions")
    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="exclusions")
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="exclusions")
    reason = models.CharField(_("lý do"), max_length=10, choices=choices.ExclusionReason.choices)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    previous_class = models.CharField(max_length=10, choices=choices.POVERTY_CLASS, blank=True)
    transition = models.CharField(max_length=24, choices=choices.TRANSITION, blank=True)
    member_count = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hộ ra khỏi danh sách")
        verbose_name_plural = _("hộ ra khỏi danh sách")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "round", "commune"], name="one_exclusion_per_commune"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household.code} · {self.get_reason_display()}"


class RequestDecision(models.TextChoices):
    PENDING = "pending", _("Chờ xét duyệt")
    APPROVED = "approved", _("Được công nhận")
    REFUSED = "refused", _("Không công nhận")


class AverageLivingRequest(models.Model):
    """A farm, forestry, fishery or salt household asks to be recognised as of average living
    standard (hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp và diêm nghiệp có mức sống trung bình),
    from its actual income over the 12 months before, excluding state social allowances
    (Decree 07/2021; DOMAIN §7). Only an approved request for a round makes the household's
    entry in that round "average" (``rules.classify``); the annual survey alone never does.
    """

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="average_requests"
    )
    round = models.ForeignKey(
        ReviewRound, on_delete=models.PROTECT, related_name="average_requests"
    )
    requested_on = models.DateField(_("ngày hộ đề nghị"))
    income_12_months = models.PositiveBigIntegerField(
        _("tổng thu nhập 12 tháng qua (đồng)"),
        help_text=_(
            "Thu nhập thực tế của hộ trong 12 tháng trước, không tính trợ cấp xã hội của Nhà nước."
        ),
    )
    member_count = models.PositiveSmallIntegerField(_("số nhân khẩu"))
    decision = models.CharField(
        _("kết quả xét duyệt"),
        max_length=10,
        choices=RequestDecision.choices,
        default=RequestDecision.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xét duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("ngày xét duyệt"), null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đề nghị công nhận hộ có mức sống trung bình")
        verbose_name_plural = _("đề nghị công nhận hộ có mức sống trung bình")
        ordering = ["-requested_on", "-id"]
        constraints = [
            # A household has at most one open and one approved request in a round.
            models.UniqueConstraint(
                fields=["household", "round"],
                condition=Q(decision="approved"),
                name="one_approved_average_request_per_round",
            ),
            models.UniqueConstraint(
                fields=["household", "round"],
                condition=Q(decision="pending"),
                name="one_pending_average_request_per_round",
            ),
            models.CheckConstraint(
                condition=Q(member_count__gte=1), name="average_request_has_members"
            ),
            # Decided exactly when it has a decision date and a decider.
            models.CheckConstraint(
                condition=(
                    Q(decision="pending", decided_on__isnull=True)
                    | (~Q(decision="pending") & Q(decided_on__isnull=False))
                ),
                name="average_request_decided_on_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household.code} · {self.round} · {self.get_decision_display()}"

    def facts(self):
        """The rules' view of the request (``rules.AverageLivingRequest``)."""
        from .rules import AverageLivingRequest as Facts

        return Facts(income_12_months=self.income_12_months, members=self.member_count)

    @property
    def income_per_person(self) -> int:
        return self.facts().income_per_person


class SubmissionStatus(models.TextChoices):
    OPEN = "open", _("Đang nhập liệu")
    SUBMITTED = "submitted", _("Đã gửi, chờ tiếp nhận")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    RETURNED = "returned", _("Bị trả lại")


class CommuneSubmission(models.Model):
    """A commune's results for a round, submitted by the officer and accepted by the district.

    Submitted and accepted results are locked against edits until district staff return or
    reopen them; every change of state is an event with who, when and why.
    """

    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="submissions")
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(
        max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.OPEN
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kết quả rà soát của xã")
        verbose_name_plural = _("kết quả rà soát của xã")
        constraints = [
            models.UniqueConstraint(fields=["round", "commune"], name="one_submission_per_commune")
        ]

    def __str__(self) -> str:
        return f"{self.commune} · {self.round}"

    @property
    def is_locked(self) -> bool:
        return self.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


class SubmissionAction(models.TextChoices):
    SUBMIT = "submit", _("Gửi kết quả")
    ACCEPT = "accept", _("Tiếp nhận")
    RETURN = "return", _("Trả lại")
    REOPEN = "reopen", _("Mở lại để sửa")


class SubmissionEvent(models.Model):
    submission = models.ForeignKey(
        CommuneSubmission, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=10, choices=SubmissionAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.by} · {self.at:%d/%m/%Y %H:%M}"


class PersonalDataAction(models.TextChoices):
    VIEW_SURVEY = "survey", _("Xem phiếu")
    VIEW_HOUSEHOLD = "household", _("Xem hộ")
    EXPORT = "export", _("Xuất danh sách")


class PersonalDataAccess(models.Model):
    """Who opened which household's personal data, and when (Decree 13/2023/NĐ-CP): one row per
    page view of a household or its survey, one row per generated export with personal data.
    Written with one INSERT; read by administrators only, in the Django admin."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người dùng"),
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    action = models.CharField(_("thao tác"), max_length=10, choices=PersonalDataAction.choices)
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hộ"),
    )
    # The household's commune at the time, or the export's commune (blank for a wider area).
    commune = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã"),
    )
    # Exports: the job's id and its title (report, area, round).
    reference = models.CharField(_("tham chiếu"), max_length=250, blank=True)
    citizen_ids_shown = models.BooleanField(_("hiện đủ số định danh"), default=False)

    class Meta:
        verbose_name = _("lượt truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"]), models.Index(fields=["household", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.user} · {self.at:%d/%m/%Y %H:%M}"


class HouseholdCodeSequence(models.Model):
    """The last number the portal gave a household code in a commune (``services.codes``): codes
    are "<commune code>-<5 digits>", counted up with one atomic UPDATE … RETURNING, so two
    officers registering at once never get the same code."""

    commune = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="+")
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.commune_id}: {self.last}"
