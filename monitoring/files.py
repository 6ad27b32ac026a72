"""Files of a visit (minutes, reports): PDF, JPG, PNG, DOCX or XLSX, 10 MB at most, the kind
read from the content (the project minutes' signature check, ``projects/files.py``, plus XLSX).

Stored under MEDIA_ROOT with a random name, never served as public media: the download view
checks that the user sees the visit first.
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

from projects.files import KIND_OF_EXTENSION, MaxSizeValidator, content_kind

ALLOWED_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")
XLSX = "XLSX"


def visit_file_path(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"monitoring/{timezone.localdate():%Y}/{uuid.uuid4().hex}{suffix}"


def _is_xlsx(file) -> bool:
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    if head != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


@deconstructible
class VisitFileSignature:
    """The content must be the kind its extension names."""

    def __call__(self, file) -> None:
        if getattr(file, "_committed", False):
            return
        extension = PurePath(file.name or "").suffix.lower().lstrip(".")
        if extension == "xlsx":
            ok, expected = _is_xlsx(file), XLSX
        elif extension in KIND_OF_EXTENSION:
            expected = KIND_OF_EXTENSION[extension]
            ok = content_kind(file) == expected
        else:
            return  # the extension validator says what is accepted
        if not ok:
            raise ValidationError(
                _(
                    "Nội dung tệp không phải là %(kind)s như phần mở rộng .%(extension)s cho biết: "
                    "hãy chọn đúng tệp PDF, JPG, PNG, DOCX hoặc XLSX."
                )
                % {"kind": expected, "extension": extension},
                code="file_signature",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, VisitFileSignature)


VISIT_FILE_VALIDATORS = [
    FileExtensionValidator(
        list(ALLOWED_EXTENSIONS),
        message=gettext_lazy(
            "Chỉ nhận tệp PDF, JPG, PNG, DOCX hoặc XLSX (tệp đã chọn: .%(extension)s)."
        ),
    ),
    MaxSizeValidator(),
    VisitFileSignature(),
]
