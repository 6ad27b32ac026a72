"""Project 4, labour and employment (docs/labour.md): the training needs of workers of poor and
near-poor households, job fairs and the hires made at them. Placements themselves are
``projects.EmploymentRecord`` rows (one implementation): a hire at a fair is an employment
record linked to the fair by ``FairHire``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import Unit
from households.models import Member
from projects.models import EmploymentRecord


class Trade(models.Model):
    """A trade a worker may want to learn: data (seeded by a migration, editable in the admin)."""

    code = models.SlugField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("ngành nghề"), max_length=120)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("ngành nghề đào tạo")
        verbose_name_plural = _("ngành nghề đào tạo")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    ELEMENTARY = "elementary", _("Sơ cấp, dưới 3 tháng")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    COLLEGE = "college", _("Cao đẳng")


class Where(models.TextChoices):
    PROVINCE = "province", _("Trong tỉnh")
    OUTSIDE = "outside", _("Ngoài tỉnh")
    ABROAD = "abroad", _("Nước ngoài")


class TrainingNeed(models.Model):
    """A worker's answer to the training-needs survey of a year (one per worker and year)."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("người lao động"),
        on_delete=models.PROTECT,
        related_name="training_needs",
    )
    # The member's household's commune when surveyed: it decides who sees the row.
    commune = models.ForeignKey(
        Unit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+"
    )
    surveyed_on = models.DateField(_("ngày khảo sát"))
    year = models.PositiveSmallIntegerField(_("năm"))
    trade = models.ForeignKey(
        Trade, verbose_name=_("nghề muốn học"), on_delete=models.PROTECT, related_name="needs"
    )
    level = models.CharField(_("trình độ"), max_length=12, choices=Level.choices)
    where = models.CharField(_("nơi muốn làm việc"), max_length=10, choices=Where.choices)
    wants_job = models.BooleanField(_("có nhu cầu việc làm"), default=True)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhu cầu đào tạo nghề")
        verbose_name_plural = _("nhu cầu đào tạo nghề")
        ordering = ["-surveyed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="training_need_member_year")
        ]
        indexes = [models.Index(fields=["commune", "year"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.trade}"


class FairKind(models.TextChoices):
    FAIR = "fair", _("Ngày hội việc làm, sàn giao dịch việc làm")
    SESSION = "session", _("Phiên giao dịch việc làm")
    ABROAD = "abroad", _("Tư vấn đi làm việc ở nước ngoài theo hợp đồng")


class JobFair(models.Model):
    kind = models.CharField(_("hình thức"), max_length=10, choices=FairKind.choices)
    held_on = models.DateField(_("ngày tổ chức"))
    place = models.CharField(_("địa điểm"), max_length=200)
    # A commune, a district group's unit or the province: who sees and manages it.
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    employers_count = models.PositiveIntegerField(_("số doanh nghiệp tham gia"), default=0)
    employers = models.TextField(_("tên các doanh nghiệp"), blank=True)
    jobs_offered = models.PositiveIntegerField(_("số vị trí việc làm"), default=0)
    attendees = models.PositiveIntegerField(_("số người tham dự"), default=0)
    attendees_poor = models.PositiveIntegerField(
        _("trong đó người thuộc hộ nghèo, cận nghèo"), default=0
    )
    hires = models.PositiveIntegerField(_("số người được tuyển dụng"), default=0)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên giao dịch việc làm")
        verbose_name_plural = _("phiên giao dịch việc làm")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendees_poor__lte=models.F("attendees")),
                name="job_fair_poor_within_attendees",
            ),
            models.CheckConstraint(
                condition=Q(hires__lte=models.F("attendees")), name="job_fair_hires_within"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"


class FairHire(models.Model):
    """A hire at a fair that is known by name: the placement is the employment record."""

    job_fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="hire_links")
    employment_record = models.OneToOneField(
        EmploymentRecord, on_delete=models.CASCADE, related_name="fair_hire"
    )

    class Meta:
        verbose_name = _("người được tuyển qua phiên")
        verbose_name_plural = _("người được tuyển qua phiên")

    def __str__(self) -> str:
        return f"{self.job_fair_id} · {self.employment_record_id}"
