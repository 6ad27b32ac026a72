"""Uploaded documents (community-meeting minutes): where they are stored and what is accepted.

Files live under MEDIA_ROOT with a random name and are never served as public media: the
download view checks the user's scope first (views/files.py).
"""

from __future__ import annotations

import uuid
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


MINUTES_VALIDATORS = [
    FileExtensionValidator(
        list(ALLOWED_EXTENSIONS),
        message=gettext_lazy("Chỉ nhận tệp PDF, JPG, PNG hoặc DOCX (tệp đã chọn: .%(extension)s)."),
    ),
    MaxSizeValidator(),
]
