"""Every allowed and forbidden workflow step, through the services, by every actor."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects import services
from projects.models import ProjectStep
from tests.projects.factories import approved, proposal

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def draft(cast, ba_to, members):
    return proposal(cast.officer, [ba_to], members)


def submitted(project, officer):
    return services.project_submit(by=officer, project=project)


def under_appraisal(project, cast):
    submitted(project, cast.officer)
    return services.project_appraise(by=cast.district, project=project)


def approve(project, user, **over):
    args = {"decision_number": "15/QĐ-UBND", "decision_date": TODAY(), **over}
    return services.project_approve(by=user, project=project, **args)


# --- submit -------------------------------------------------------------------------------------


def test_officer_submits_a_draft(cast, draft):
    project = services.project_submit(by=cast.officer, project=draft, comment="Kính gửi huyện")
    assert project.status == "submitted"
    assert project.approval_level == "commune"  # community projects (seeded, unconfirmed)
    assert project.submitted_at is not None
    step = ProjectStep.objects.filter(project=draft).last()
    assert (step.action, step.from_status, step.to_status) == ("submit", "draft", "submitted")
    assert step.by == cast.officer and step.comment == "Kính gửi huyện"


@pytest.mark.parametrize("who", ["district", "leader", "outsider"])
def test_only_the_communes_officer_submits(cast, draft, who):
    with pytest.raises(PermissionDenied):
        services.project_submit(by=getattr(cast, who), project=draft)


def test_submit_twice_is_refused(cast, draft):
    submitted(draft, cast.officer)
    with pytest.raises(ValidationError, match="đang ở trạng thái"):
        submitted(draft, cast.officer)


def test_failing_checks_block_submission_with_messages(cast, ba_to, members):
    project = proposal(cast.officer, [ba_to], members[:3], categories=["poor", "other", "other"])
    with pytest.raises(ValidationError) as exc:
        submitted(project, cast.officer)
    assert any("cần ít nhất 50%" in m for m in exc.value.messages)
    project.refresh_from_db()
    assert project.status == "draft"


def test_state_share_over_cap_blocks_submission(cast, ba_to, members):
    # Ba Tơ is a poor district: community cap 95% (seeded)
    project = proposal(cast.officer, [ba_to], members, total=100_000_000, state=96_000_000)
    with pytest.raises(ValidationError, match="vượt mức tối đa 95%"):
        submitted(project, cast.officer)


# --- appraise ------------------------------------------------------------------------------------


def test_district_appraises(cast, draft):
    submitted(draft, cast.officer)
    assert services.project_appraise(by=cast.district, project=draft).status == "under_appraisal"


@pytest.mark.parametrize("who", ["officer", "leader", "outsider"])
def test_only_reviewers_appraise(cast, draft, who):
    submitted(draft, cast.officer)
    with pytest.raises(PermissionDenied):
        services.project_appraise(by=getattr(cast, who), project=draft)


def test_appraise_a_draft_is_refused(cast, draft):
    with pytest.raises(ValidationError):
        services.project_appraise(by=cast.district, project=draft)


# --- approve -------------------------------------------------------------------------------------


def test_district_approves_with_decision(cast, draft):
    under_appraisal(draft, cast)
    project = approve(draft, cast.district)
    assert project.status == "approved"
    assert project.decision_number == "15/QĐ-UBND"
    step = ProjectStep.objects.filter(project=draft, action="approve").get()
    assert step.decision_number == "15/QĐ-UBND" and step.decision_date == TODAY()


def test_approve_needs_appraisal_first(cast, draft):
    submitted(draft, cast.officer)
    with pytest.raises(ValidationError):
        approve(draft, cast.district)


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"decision_number": " "}, "decision_number"),
        ({"decision_date": None}, "decision_date"),
        ({"decision_date": dt.date(2099, 1, 1)}, "decision_date"),
        ({"decision_date": dt.date(2020, 1, 1)}, "decision_date"),  # before the submission
    ],
)
def test_approve_validates_the_decision(cast, draft, over, field):
    under_appraisal(draft, cast)
    with pytest.raises(ValidationError) as exc:
        approve(draft, cast.district, **over)
    assert field in exc.value.message_dict


@pytest.mark.parametrize("who", ["officer", "leader", "outsider"])
def test_only_reviewers_approve(cast, draft, who):
    under_appraisal(draft, cast)
    with pytest.raises(PermissionDenied):
        approve(draft, getattr(cast, who))


# --- return, fix, resubmit; reject -----------------------------------------------------------


def test_return_needs_a_comment(cast, draft):
    under_appraisal(draft, cast)
    with pytest.raises(ValidationError, match="Ghi rõ lý do"):
        services.project_return(by=cast.district, project=draft, comment="  ")


def test_returned_project_is_fixed_and_resubmitted(cast, draft):
    under_appraisal(draft, cast)
    services.project_return(by=cast.district, project=draft, comment="Bổ sung biên bản họp")
    draft.refresh_from_db()
    assert draft.status == "returned"
    services.project_update(
        by=cast.officer,
        project=draft,
        expected_version=draft.version,
        communes=list(draft.communes.all()),
        title="Nuôi bò sinh sản (bổ sung)",
    )
    assert services.project_submit(by=cast.officer, project=draft).status == "submitted"
    actions = list(ProjectStep.objects.filter(project=draft).values_list("action", flat=True))
    assert actions == ["create", "submit", "appraise", "return", "submit"]


def test_reject_is_final(cast, draft):
    under_appraisal(draft, cast)
    services.project_reject(by=cast.district, project=draft, comment="Trùng dự án khác")
    draft.refresh_from_db()
    assert draft.status == "rejected"
    with pytest.raises(ValidationError):
        submitted(draft, cast.officer)
    with pytest.raises(ValidationError):
        services.project_update(
            by=cast.officer, project=draft, expected_version=None,
            communes=list(draft.communes.all()), title="x",
        )  # fmt: skip


@pytest.mark.parametrize("step", ["return", "reject"])
@pytest.mark.parametrize("who", ["officer", "leader", "outsider"])
def test_only_reviewers_return_or_reject(cast, draft, step, who):
    under_appraisal(draft, cast)
    with pytest.raises(PermissionDenied):
        services.STEP_SERVICES[step](by=getattr(cast, who), project=draft, comment="Không")


# --- start, complete, evaluate ---------------------------------------------------------------


def test_officer_starts_and_completes(cast, draft):
    approved(draft, cast.officer, cast.district)
    assert services.project_start(by=cast.officer, project=draft).status == "in_progress"
    assert services.project_complete(by=cast.officer, project=draft).status == "completed"


@pytest.mark.parametrize("who", ["district", "leader", "outsider"])
def test_only_the_officer_starts(cast, draft, who):
    approved(draft, cast.officer, cast.district)
    with pytest.raises(PermissionDenied):
        services.project_start(by=getattr(cast, who), project=draft)


def test_complete_before_start_is_refused(cast, draft):
    approved(draft, cast.officer, cast.district)
    with pytest.raises(ValidationError):
        services.project_complete(by=cast.officer, project=draft)


def evaluation(**over):
    data = {"economic_rating": "good", "social_rating": "fair", "environmental_rating": "good"}
    return {**data, **over}


def test_district_evaluates_a_completed_project(cast, draft):
    approved(draft, cast.officer, cast.district)
    services.project_start(by=cast.officer, project=draft)
    services.project_complete(by=cast.officer, project=draft)
    with pytest.raises(PermissionDenied):
        services.project_evaluate(by=cast.officer, project=draft, **evaluation())
    with pytest.raises(ValidationError):
        services.project_evaluate(by=cast.district, project=draft, **evaluation(social_rating=""))
    project = services.project_evaluate(by=cast.district, project=draft, **evaluation())
    assert project.status == "evaluated"
    assert project.evaluation.economic_rating == "good"


def test_evaluate_before_completion_is_refused(cast, draft):
    approved(draft, cast.officer, cast.district)
    with pytest.raises(ValidationError):
        services.project_evaluate(by=cast.district, project=draft, **evaluation())


# --- the approving level is data -----------------------------------------------------------


def test_value_chain_after_2025_goes_to_the_province(cast, ba_to, members):
    project = proposal(cast.officer, [ba_to], members, form="value_chain")
    submitted(project, cast.officer)
    project.refresh_from_db()
    assert project.approval_level == "province"
    with pytest.raises(PermissionDenied):
        services.project_appraise(by=cast.district, project=project)
    services.project_appraise(by=cast.admin, project=project)
    assert approve(project, cast.admin).status == "approved"


def test_admin_changes_the_level(cast, ba_to, members):
    from projects.models import ApprovalLevel

    ApprovalLevel.objects.filter(form="community").update(level="province")
    project = proposal(cast.officer, [ba_to], members)
    submitted(project, cast.officer)
    with pytest.raises(PermissionDenied):
        services.project_appraise(by=cast.district, project=project)


def test_missing_level_blocks_submission(cast, ba_to, members):
    from projects.models import ApprovalLevel

    ApprovalLevel.objects.filter(form="community").delete()
    project = proposal(cast.officer, [ba_to], members)
    with pytest.raises(ValidationError, match="cấp phê duyệt"):
        submitted(project, cast.officer)
