"""Text helpers for Vietnamese names."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics so 'Đắk Hà', 'dak ha' and 'Đăk Hà' meet.

    NFD splits tone and vowel marks off their letters; đ/Đ have no decomposition, so map them.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()
