"""Uploaded documents (community-meeting minutes): where they are stored and what is accepted.

Files live under MEDIA_ROOT with a random name and are never served as public media: the
download view checks the user's scope first (views/project.py). What a file *is* is read from
its first bytes (``SignatureValidator``), never taken from its name: an HTML page saved as .pdf
is refused. Replaced minutes are deleted from storage once the transaction commits
(services/proposal.py); files no row names are swept by reports/retention.py.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ALLOWED_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "docx")
MAX_BYTES = 10 * 1024 * 1024


def minutes_path(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"projects/minutes/{timezone.localdate():%Y}/{uuid.uuid4().hex}{suffix}"


@deconstructible
class MaxSizeValidator:
    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes

    def __call__(self, file) -> None:
        if file.size > self.max_bytes:
            raise ValidationError(
                _("Tệp quá lớn (%(size)s MB): tối đa %(max)s MB.")
                % {
                    "size": round(file.size / 1024 / 1024, 1),
                    "max": self.max_bytes // 1024 // 1024,
                },
                code="file_too_large",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MaxSizeValidator) and other.max_bytes == self.max_bytes


PDF, JPEG, PNG, DOCX = "PDF", "JPG", "PNG", "DOCX"
KIND_OF_EXTENSION = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG, "docx": DOCX}


def content_kind(file) -> str:
    """PDF, JPG, PNG or DOCX as the content says (signature, and a DOCX's parts), or ""."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return ""
        finally:
            file.seek(0)
        if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
            return DOCX
    return ""


@deconstructible
class SignatureValidator:
    """The content must be the kind its extension names (the extension validator runs too)."""

    def __call__(self, file) -> None:
        if getattr(file, "_committed", False):
            return  # already stored: checked when it was uploaded
        extension = PurePath(file.name or "").suffix.lower().lstrip(".")
        expected = KIND_OF_EXTENSION.get(extension)
        if expected is None:
            return  # FileExtensionValidator says what is accepted
        found = content_kind(file)
        if found != expected:
            raise ValidationError(
                _(
                    "Nội dung tệp không phải là %(kind)s như phần mở rộng .%(extension)s cho biết "
                    "(có thể là trang web HTML hoặc tệp khác được đổi tên): hãy chọn đúng tệp PDF, "
                    "JPG, PNG hoặc DOCX."
                )
                % {"kind": expected, "extension": extension},
                code="file_signature",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, SignatureValidator)


MINUTES_VALIDATORS = [
    FileExtensionValidator(
        list(ALLOWED_EXTENSIONS),
        message=gettext_lazy("Chỉ nhận tệp PDF, JPG, PNG hoặc DOCX (tệp đã chọn: .%(extension)s)."),
    ),
    MaxSizeValidator(),
    SignatureValidator(),
]
