"""Text helpers for Vietnamese names."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics so 'Đắk Hà', 'dak ha' and 'Đăk Hà' meet.

    NFD splits tone and vowel marks off their letters; đ/Đ have no decomposition, so map them.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


# Characters that change nothing a reader sees but make two spellings of one name differ (and
# defeat the search by name): zero-width space / non-joiner / joiner, word joiner, BOM.
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


def person_name(value: str) -> str:
    """A person's name as stored: NFC, no invisible or control characters, single spaces.

    Refuses (``ValidationError``, Vietnamese message) a name with a digit, full-width digits
    included (NFKC folds them to ASCII before the check), or without any letter. The member
    form (the survey page, registration, the Excel import) calls it; it is the one rule.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    text = unicodedata.normalize("NFC", value or "")
    kept = []
    for char in text:
        if char in _INVISIBLE:
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Zl", "Zp"):
            kept.append(" " if char in "\t\n\r\x0b\x0c\u2028\u2029\x85" else "")
            continue
        kept.append(char)
    text = " ".join("".join(kept).split())
    if any(unicodedata.normalize("NFKC", char).isdigit() for char in text):
        raise ValidationError(_("Họ tên không được chứa chữ số."), code="digit")
    if not any(char.isalpha() for char in text):
        raise ValidationError(_("Họ tên phải có ít nhất một chữ cái."), code="no_letter")
    return text
