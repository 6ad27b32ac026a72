"""The minutes' content is checked by its signature, not its name (the issue "Faults and hostile
users", item 5), and replaced minutes leave no file behind once the change commits."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects import services
from projects.files import content_kind
from projects.models import Project
from tests.projects.factories import dossier
from tests.projects.test_pages import dossier_post

pytestmark = pytest.mark.django_db
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32
PDF = b"%PDF-1.7\n%test\n"


def _zip(names) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, b"<x/>")
    return out.getvalue()


DOCX = _zip(["[Content_Types].xml", "word/document.xml", "_rels/.rels"])
XLSX = _zip(["[Content_Types].xml", "xl/workbook.xml"])


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content"),
    [("a.pdf", PDF), ("a.jpg", JPEG), ("a.jpeg", JPEG), ("a.png", PNG), ("a.docx", DOCX)],
)
def test_real_files_are_accepted(cast, ba_to, name, content):
    project = services.project_create(
        by=cast.officer, communes=[ba_to], minutes=upload(name, content), **dossier()
    )
    with project.minutes.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("bien-ban.pdf", HTML, "PDF"),  # the case: an HTML page saved as .pdf
        ("bien-ban.pdf", PNG, "PDF"),
        ("anh.png", JPEG, "PNG"),
        ("anh.jpg", b"GIF89a" + b"\0" * 16, "JPG"),
        ("bien-ban.docx", XLSX, "DOCX"),  # a zip, but a workbook
        ("bien-ban.docx", b"PK\x03\x04" + b"\0" * 40, "DOCX"),  # a damaged zip
    ],
)
def test_content_that_is_not_what_the_name_says_is_refused(cast, ba_to, name, content, kind):
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            by=cast.officer, communes=[ba_to], minutes=upload(name, content), **dossier()
        )
    ext = name.rsplit(".", 1)[1]
    assert f"Nội dung tệp không phải là {kind} như phần mở rộng .{ext}" in str(exc.value)
    assert not Project.objects.exists()
    assert not default_storage.exists("projects")  # nothing kept


def test_html_saved_as_pdf_is_refused_on_the_page(client, cast, ba_to):
    client.force_login(cast.officer)
    response = client.post(
        reverse("project_create"),
        {**dossier_post(communes=[ba_to.pk]), "minutes": upload("Biên bản.pdf", HTML)},
    )
    assert response.status_code == 200
    assert "Nội dung tệp không phải là PDF như phần mở rộng .pdf" in response.content.decode()
    assert not Project.objects.exists()


def test_content_kind():
    assert [content_kind(io.BytesIO(c)) for c in (PDF, JPEG, PNG, DOCX, XLSX, HTML, b"")] == [
        "PDF",
        "JPG",
        "PNG",
        "DOCX",
        "",
        "",
        "",
    ]


def _update(cast, project, communes, minutes):
    return services.project_update(
        by=cast.officer,
        project=project,
        expected_version=project.version,
        communes=communes,
        minutes=minutes,
        **dossier(),
    )


def test_replaced_minutes_are_deleted_after_commit(cast, ba_to, django_capture_on_commit_callbacks):
    project = services.project_create(
        by=cast.officer, communes=[ba_to], minutes=upload("cu.pdf", PDF), **dossier()
    )
    old = project.minutes.name
    assert default_storage.exists(old)
    with django_capture_on_commit_callbacks() as callbacks:
        project = _update(cast, project, [ba_to], upload("moi.png", PNG))
        assert default_storage.exists(old)  # not before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert not default_storage.exists(old)
    assert default_storage.exists(project.minutes.name) and project.minutes_name == "moi.png"


def test_an_update_without_new_minutes_keeps_the_file(
    cast, ba_to, django_capture_on_commit_callbacks
):
    project = services.project_create(
        by=cast.officer, communes=[ba_to], minutes=upload("cu.pdf", PDF), **dossier()
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        project = _update(cast, project, [ba_to], None)
    assert not callbacks
    assert default_storage.exists(project.minutes.name)


def test_a_refused_replacement_keeps_the_old_file(cast, ba_to, django_capture_on_commit_callbacks):
    project = services.project_create(
        by=cast.officer, communes=[ba_to], minutes=upload("cu.pdf", PDF), **dossier()
    )
    old = project.minutes.name
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        _update(cast, project, [ba_to], upload("moi.pdf", HTML))
    assert not callbacks  # rolled back: nothing to delete
    assert default_storage.exists(old)
    project.refresh_from_db()
    assert project.minutes.name == old
