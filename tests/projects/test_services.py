"""Proposal services: the dossier, budget, participants, locking, amendments, replication."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services
from projects.models import ProgramComponent, ProjectAmendment, StateShareCap
from projects.services.proposal import apply_budget
from tests.projects.factories import (
    approved,
    budget,
    component,
    dossier,
    evaluated_model,
    households,
    proposal,
)

pytestmark = pytest.mark.django_db


def test_create_sets_code_and_derived_columns(cast, ba_to, members):
    project = proposal(cast.officer, [ba_to], members, categories=["poor"] * 4 + ["other"])
    assert project.code == "DA-21484-2026-001"
    assert project.status == "draft"
    assert project.area_type == "poor_district"  # Ba Tơ's flags
    assert project.beneficiary_share == Decimal("80.00")
    assert project.is_priority  # over 70%
    assert project.state_share == Decimal("90.00")
    assert project.participant_count == 5
    second = services.project_create(by=cast.officer, communes=[ba_to], **dossier())
    assert second.code == "DA-21484-2026-002"


def test_priority_is_not_given_at_seventy_percent(cast, ba_to):
    ten = households(cast.officer, ba_to, 10)
    project = proposal(cast.officer, [ba_to], ten, categories=["poor"] * 7 + ["other"] * 3)
    assert project.beneficiary_share == Decimal("70.00")
    assert not project.is_priority


def test_create_checks_scope(cast, ba_to, son_tinh):
    with pytest.raises(PermissionDenied):
        services.project_create(by=cast.outsider, communes=[ba_to], **dossier())
    with pytest.raises(PermissionDenied):  # district staff review, they do not propose
        services.project_create(by=cast.district, communes=[ba_to], **dossier())
    with pytest.raises(PermissionDenied):
        services.project_create(by=cast.officer, communes=[ba_to, son_tinh], **dossier())


def test_component_must_belong_to_the_period_of_the_start_date(cast, ba_to):
    """Issue 10: a project starting in 2027 used to find only 2021-2025 components."""
    day = dt.date(2027, 3, 1)
    old = ProgramComponent.objects.get(program__code="2021-2025", number="3.1")
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            by=cast.officer,
            communes=[ba_to],
            **dossier(component=old, starts_on=day, ends_on=day.replace(year=2028)),
        )
    assert "ngoài giai đoạn 01/01/2021 – 31/12/2025" in exc.value.message_dict["component"][0]
    project = services.project_create(
        by=cast.officer,
        communes=[ba_to],
        **dossier(component=component("3.1", day), starts_on=day, ends_on=day.replace(year=2028)),
    )
    assert project.component.program.code == "2026-2030"


def test_create_validates_the_dossier(cast, ba_to):
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            by=cast.officer,
            communes=[ba_to],
            **dossier(component=component("5"), ends_on=dossier()["starts_on"].replace(year=2025)),
        )
    assert set(exc.value.message_dict) == {"component", "ends_on"}
    services.project_create(by=cast.officer, communes=[ba_to], code="BT-01", **dossier())
    with pytest.raises(ValidationError, match="đã tồn tại"):
        services.project_create(by=cast.officer, communes=[ba_to], code="BT-01", **dossier())


def test_household_must_live_in_the_project_communes(cast, ba_to, ba_vinh):
    from areas.models import Role
    from areas.services import NEW_TREE_FROM
    from tests.conftest import make_user  # an officer of Ba Vinh registers a household there

    vinh_officer = make_user("vinh", Role.COMMUNE_OFFICER, (ba_vinh, NEW_TREE_FROM, None))
    (elsewhere,) = households(vinh_officer, ba_vinh, 1)
    project = services.project_create(by=cast.officer, communes=[ba_to], **dossier())
    with pytest.raises(ValidationError, match="không cư trú tại xã thực hiện"):
        services.project_participants_add(
            by=cast.officer, project=project, entries=[(elsewhere, "poor")]
        )


def test_household_that_moved_away_fails_the_check_at_submission(cast, ba_to, members):
    project = proposal(cast.officer, [ba_to], members)
    other = type(ba_to).objects.valid_on(ba_to.valid_from).get(code="21490")
    type(members[0]).objects.filter(pk=members[0].pk).update(commune=other)
    with pytest.raises(ValidationError) as exc:
        services.project_submit(by=cast.officer, project=project)
    assert any(members[0].code in m and "không cư trú" in m for m in exc.value.messages)


def test_budget_save_refuses_lines_that_do_not_add_up(cast, ba_to, members):
    project = proposal(cast.officer, [ba_to], members)
    version = project.version
    with pytest.raises(ValidationError) as exc:
        services.project_budget_save(
            by=cast.officer,
            project=project,
            expected_version=version,
            total_cost=100_000_000,
            sources={"state_support": 50_000_000, "counterpart_cash": 40_000_000},
            items=[
                {"name": "Giống", "unit": "kg", "quantity": Decimal("2.5"), "unit_cost": 1_000_000}
            ],
        )
    text = " ".join(exc.value.messages)
    assert "Cộng các nguồn vốn (90.000.000 đồng) phải bằng tổng kinh phí (100.000.000 đồng)" in text
    assert "Cộng thành tiền các nội dung hỗ trợ (2.500.000 đồng)" in text
    project.refresh_from_db()  # nothing written, not even the version
    assert project.version == version and project.state_support == 90_000_000
    assert list(project.items.values_list("amount", flat=True)) == [100_000_000]


def test_budget_lines_must_add_up_at_submission(cast, ba_to, members):
    """A draft saved before the budget step checked its sums is still caught at submission."""
    project = proposal(cast.officer, [ba_to], members)
    apply_budget(
        project,
        100_000_000,
        {"state_support": 50_000_000, "counterpart_cash": 40_000_000},
        [{"name": "Giống", "unit": "kg", "quantity": Decimal("2.5"), "unit_cost": 1_000_000}],
    )
    with pytest.raises(ValidationError) as exc:
        services.project_submit(by=cast.officer, project=project)
    text = " ".join(exc.value.messages)
    assert "Cộng các nguồn vốn (90.000.000 đồng) phải bằng tổng kinh phí (100.000.000 đồng)" in text
    assert "Cộng thành tiền các nội dung hỗ trợ (2.500.000 đồng)" in text


def test_caps_are_data(cast, ba_to, members):
    StateShareCap.objects.filter(form="community", area_type="poor_district").update(max_share=85)
    project = proposal(cast.officer, [ba_to], members, state=90_000_000)
    with pytest.raises(ValidationError, match="vượt mức tối đa 85%"):
        services.project_submit(by=cast.officer, project=project)


def test_stale_version_is_refused(cast, ba_to, members):
    project = proposal(cast.officer, [ba_to], members)
    stale = project.version
    budget(project, cast.officer)
    with pytest.raises(services.ConcurrentEdit):
        services.project_update(
            by=cast.officer, project=project, expected_version=stale, communes=[ba_to], title="Mới"
        )


def test_minutes_are_validated(cast, ba_to):
    bad = SimpleUploadedFile("bien-ban.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as exc:
        services.project_create(by=cast.officer, communes=[ba_to], minutes=bad, **dossier())
    assert "Chỉ nhận tệp PDF, JPG, PNG hoặc DOCX" in " ".join(exc.value.messages)
    big = SimpleUploadedFile("bien-ban.pdf", b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="tối đa 10 MB"):
        services.project_create(by=cast.officer, communes=[ba_to], minutes=big, **dossier())
    ok = SimpleUploadedFile("Biên bản họp.pdf", b"%PDF-1.4", content_type="application/pdf")
    project = services.project_create(by=cast.officer, communes=[ba_to], minutes=ok, **dossier())
    assert (
        project.minutes.name.startswith("projects/minutes/")
        and project.minutes_name == "Biên bản họp.pdf"
    )


# --- locking and amendments ---------------------------------------------------------------------


@pytest.fixture
def approved_project(cast, ba_to, members):
    return approved(proposal(cast.officer, [ba_to], members[:4]), cast.officer, cast.district)


def test_approved_project_is_locked(cast, approved_project, members):
    with pytest.raises(ValidationError, match="điều chỉnh"):
        budget(approved_project, cast.officer, total=120_000_000, state=100_000_000)
    with pytest.raises(ValidationError, match="điều chỉnh"):
        services.project_participants_add(
            by=cast.officer, project=approved_project, entries=[(members[4], "poor")]
        )
    participant = approved_project.participants.first()
    with pytest.raises(ValidationError, match="điều chỉnh"):
        services.project_participant_remove(
            by=cast.officer, project=approved_project, participant_id=participant.pk
        )
    with pytest.raises(ValidationError, match="điều chỉnh"):
        services.project_update(
            by=cast.officer, project=approved_project, expected_version=None,
            communes=list(approved_project.communes.all()), title="x",
        )  # fmt: skip


def test_amendment_records_before_and_after(cast, approved_project, members):
    amendment = services.project_amend(
        by=cast.district,
        project=approved_project,
        reason="Thêm một hộ nghèo, tăng kinh phí",
        decision_number="20/QĐ-UBND",
        total_cost=110_000_000,
        sources={"state_support": 99_000_000, "counterpart_labour": 11_000_000},
        items=[{"name": "Bò cái", "unit": "con", "quantity": 11, "unit_cost": 10_000_000}],
        add=[(members[4], "poor")],
        remove=[members[0].pk],
    )
    assert amendment.number == 1
    assert amendment.before["budget"]["total_cost"] == 100_000_000
    assert amendment.after["budget"]["total_cost"] == 110_000_000
    before = {code for code, _ in amendment.before["participants"]}
    after = {code for code, _ in amendment.after["participants"]}
    assert after - before == {members[4].code} and before - after == {members[0].code}
    approved_project.refresh_from_db()
    assert approved_project.status == "approved"
    assert approved_project.steps.filter(action="amend").exists()
    assert approved_project.history.count() >= 2


def test_amendment_must_still_pass_the_checks(cast, approved_project):
    with pytest.raises(ValidationError, match="vượt mức tối đa"):
        services.project_amend(
            by=cast.district,
            project=approved_project,
            reason="Tăng ngân sách",
            total_cost=100_000_000,
            sources={"state_support": 100_000_000},
        )
    approved_project.refresh_from_db()
    assert approved_project.state_support == 90_000_000  # rolled back
    assert not ProjectAmendment.objects.exists()


def test_amendment_needs_a_reason_a_change_and_the_approver(cast, approved_project):
    with pytest.raises(ValidationError, match="lý do"):
        services.project_amend(by=cast.district, project=approved_project, reason=" ")
    with pytest.raises(ValidationError, match="Không có thay đổi"):
        services.project_amend(by=cast.district, project=approved_project, reason="Không đổi")
    for who in (cast.officer, cast.leader, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.project_amend(by=who, project=approved_project, reason="x", remove=[1])


def test_draft_is_not_amended(cast, ba_to, members):
    project = proposal(cast.officer, [ba_to], members)
    with pytest.raises(ValidationError, match="Chỉ điều chỉnh"):
        services.project_amend(by=cast.district, project=project, reason="x")


# --- models: evaluation and replication ------------------------------------------------------


def test_replicate_an_evaluated_model(cast, ba_to, members):
    source = evaluated_model(cast, [ba_to], members)
    assert source.evaluation.income_change == 600_000
    copy = services.model_replicate(
        by=cast.officer,
        source=source,
        communes=[ba_to],
        title="Nhân rộng mô hình bò sinh sản",
        group_name="Tổ hợp tác thôn 2",
        starts_on=source.starts_on.replace(year=2027),
        ends_on=source.ends_on.replace(year=2027),
    )
    assert copy.replicated_from == source and copy.form == "model" and copy.status == "draft"
    assert copy.items.count() == source.items.count()
    assert copy.total_cost == source.total_cost and copy.participant_count == 0


def test_not_recommended_or_not_evaluated_models_do_not_replicate(cast, ba_to, members):
    source = evaluated_model(cast, [ba_to], members, recommend=False)
    with pytest.raises(ValidationError, match="Chỉ nhân rộng"):
        services.model_replicate(
            by=cast.officer, source=source, communes=[ba_to], title="x", group_name="y",
            starts_on=source.starts_on, ends_on=source.ends_on,
        )  # fmt: skip


def test_replication_needs_enter_over_the_target_commune(cast, ba_to, son_tinh, members):
    source = evaluated_model(cast, [ba_to], members)
    with pytest.raises(PermissionDenied):
        services.model_replicate(
            by=cast.officer, source=source, communes=[son_tinh], title="x", group_name="y",
            starts_on=source.starts_on, ends_on=source.ends_on,
        )  # fmt: skip
