"""Legal Entity Identifiers (ISO 17442): format and check digits.

An LEI is 20 characters: 18 upper-case letters or digits, then two check digits computed
with ISO 7064 MOD 97-10 (the scheme of IBANs): with letters replaced by numbers (A = 10 …
Z = 35), the whole code read as an integer leaves remainder 1 when divided by 97.
"""

from __future__ import annotations

import re

from .errors import InvalidLEI

_FORMAT = re.compile(r"[0-9A-Z]{18}[0-9]{2}")


def _digits(code: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in code))


def lei_check_digits(base: str) -> str:
    """The two check digits for the first 18 characters of an LEI."""
    b = base.strip().upper()
    if not re.fullmatch(r"[0-9A-Z]{18}", b):
        raise InvalidLEI(
            f"LEI base {base!r} must be 18 letters or digits (ISO 17442); got {len(b)} characters"
        )
    return f"{98 - _digits(b + '00') % 97:02d}"


def normalize_lei(lei: str) -> str:
    """Upper-case the LEI and drop spaces and hyphens people type; nothing else changes."""
    return re.sub(r"[\s\-]", "", lei).upper()


def validate_lei(lei: str) -> str:
    """Return the normalised LEI, or raise :class:`~stdcompare.errors.InvalidLEI` saying why."""
    code = normalize_lei(lei)
    if len(code) != 20:
        raise InvalidLEI(
            f"LEI {lei!r} has {len(code)} characters; an LEI (ISO 17442) has exactly 20 — "
            "copy it from the GLEIF record of the company"
        )
    if not _FORMAT.fullmatch(code):
        raise InvalidLEI(
            f"LEI {lei!r} is malformed: 18 letters or digits followed by 2 check digits are "
            "expected (ISO 17442)"
        )
    if _digits(code) % 97 != 1:
        raise InvalidLEI(
            f"LEI {lei!r} fails its ISO 7064 MOD 97-10 check digits (expected "
            f"{lei_check_digits(code[:18])} at the end): check for a mistyped character"
        )
    return code


def is_valid_lei(lei: str) -> bool:
    try:
        validate_lei(lei)
    except InvalidLEI:
        return False
    return True
