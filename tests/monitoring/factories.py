"""Visits, recommendations and files for the tests, made through the services."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring import services


def visit(by, communes, *, held_on=dt.date(2026, 6, 10), kind="check", projects=(), **extra):
    return services.visit_create(
        by=by,
        kind=kind,
        held_on=held_on,
        organiser=extra.pop("organiser", "Ban Chỉ đạo huyện"),
        team=extra.pop("team", "Đoàn kiểm tra liên ngành"),
        lead=extra.pop("lead", "Phó Chủ tịch UBND"),
        communes=communes,
        projects=projects,
        findings=extra.pop("findings", "Hồ sơ hộ nghèo còn thiếu chữ ký."),
        **extra,
    )


def recommend(by, visit_, commune, *, due_on=dt.date(2026, 9, 30), text="Bổ sung hồ sơ"):
    return services.recommendation_add(
        by=by, visit=visit_, text=text, commune=commune, due_on=due_on
    )


def pdf(name="bien-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 visit", content_type="application/pdf")


def monitoring_side(district, commune):
    """A visit to ``commune`` by its district staff, one open recommendation, one file."""
    made = visit(district, [commune])
    recommendation = recommend(district, made, commune)
    file = services.visit_file_add(by=district, visit=made, file=pdf())
    return made, recommendation, file
