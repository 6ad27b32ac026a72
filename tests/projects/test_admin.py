"""The admin edits the law-as-data (program tree, caps, levels) and reads projects."""

import pytest
from django.urls import reverse

from projects.models import Project, StateShareCap
from tests.projects.factories import approved, proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, units):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("quantri-test", password="x-1-y-2-z")
    client.force_login(root)
    return client


MODELS = [
    "program", "programcomponent", "statesharecap", "approvallevel", "project",
    "projectamendment", "course", "courseparticipant", "employmentrecord",
]  # fmt: skip


def test_admin_pages_open(admin_client, cast, ba_to, members):
    project = approved(proposal(cast.officer, [ba_to], members), cast.officer, cast.district)
    for model in MODELS:
        url = reverse(f"admin:projects_{model}_changelist")
        assert admin_client.get(url).status_code == 200, url
    assert (
        admin_client.get(reverse("admin:projects_project_change", args=[project.pk])).status_code
        == 200
    )
    history = reverse("admin:projects_project_history", args=[project.pk])
    assert admin_client.get(history).status_code == 200
    assert project.history.count() >= 3  # created, budget, participants, steps...
    assert admin_client.get(reverse("admin:projects_project_add")).status_code == 403


def test_caps_are_edited_in_the_admin(admin_client, program):
    cap = StateShareCap.objects.get(program__code="2021-2025", form="community", area_type="other")
    url = reverse("admin:projects_statesharecap_change", args=[cap.pk])
    response = admin_client.post(
        url,
        {"program": cap.program_id, "form": "community", "area_type": "other", "max_share": "65",
         "confirmed": "on", "note": "Đã đối chiếu"},
    )  # fmt: skip
    assert response.status_code == 302
    cap.refresh_from_db()
    assert cap.max_share == 65 and cap.confirmed
    assert not Project.objects.exists()
