"""The demo generator: with the demo households it fills every state; without households it
creates nothing and says so; a second run adds nothing."""

import pytest

from demodata.accounts import demo_accounts_seed
from demodata.households import demo_households_seed
from demodata.projects import projects_demo_seed
from projects.models import Course, EmploymentRecord, Project, ProjectEvaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(units, settings):
    settings.DEMO_PASSWORD = "demo-mat-khau-1"
    demo_accounts_seed()


def test_without_households_nothing_is_created(accounts):
    report = projects_demo_seed()
    assert "No commune has households" in report.summary()
    assert not Project.objects.exists() and not Course.objects.exists()


def test_with_the_demo_households(accounts):
    demo_households_seed(households=300, seed=7)
    report = projects_demo_seed()
    assert report.projects >= 12, report.summary()
    statuses = set(Project.objects.values_list("status", flat=True))
    assert statuses == {
        "draft", "submitted", "under_appraisal", "returned", "rejected", "approved",
        "in_progress", "completed", "evaluated",
    }  # fmt: skip
    models = Project.objects.filter(form="model")
    assert ProjectEvaluation.objects.filter(project__in=models).count() == 2
    assert models.filter(replicated_from__isnull=False).count() == 2
    for project in Project.objects.all():
        communes = set(project.communes.values_list("pk", flat=True))
        households = set(project.participants.values_list("household__commune_id", flat=True))
        assert households and households <= communes, project.code
        assert project.participant_count and project.beneficiary_share >= 50
    assert Course.objects.count() == 3 and EmploymentRecord.objects.count() >= 1
    again = projects_demo_seed()
    assert "already exist" in again.summary() and again.projects == 0
