"""Jobs are private to their owner; files are served only to them."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reports.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = Job.objects.create(owner=cast.officer, kind="export", report="results", title="Kết quả")
    job.result.save("ket-qua.xlsx", ContentFile(b"PK fake workbook"))
    return job


def test_anonymous_redirected(client, job):
    for url in (reverse("job_list"), reverse("job_detail", args=[job.pk])):
        assert client.get(url).status_code == 302


def test_owner_sees_and_downloads(client, cast, job):
    client.force_login(cast.officer)
    assert "Kết quả" in client.get(reverse("job_list")).content.decode()
    response = client.get(reverse("job_download", args=[job.pk, "ket-qua"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK fake workbook"
    assert client.get(reverse("job_download", args=[job.pk, "tep-goc"])).status_code == 404


def test_others_get_404(client, cast, job):
    client.force_login(cast.leader)
    assert "Kết quả" not in client.get(reverse("job_list")).content.decode()
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("job_download", args=[job.pk, "ket-qua"])).status_code == 404


def test_progress_fragment_for_htmx(client, cast, job):
    client.force_login(cast.officer)
    body = client.get(reverse("job_detail", args=[job.pk]), HTTP_HX_REQUEST="true").content
    assert b"<html" not in body and b"job-progress" in body
