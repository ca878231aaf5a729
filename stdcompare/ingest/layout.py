"""Layout clean-up: running headers, footers and page numbers."""

from __future__ import annotations

import re
from collections import Counter

from .pdf import Line, RawPage

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,6})(?:\s*(?:/|of)\s*\d{1,4})?(?:\s*[-–—])?$"
    r"|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$|^стр(?:аница)?\.?\s*\d+$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
ZONE = 3  # lines at the top and at the bottom of a page that may be running text
TOP_BAND = 0.12  # fraction of the page height
BOTTOM_BAND = 0.85


def _key(text: str) -> str:
    return _DIGITS.sub("#", re.sub(r"\s+", " ", text.strip().lower()))


def running_lines(pages: list[RawPage]) -> set[str]:
    """Normalised texts that recur at the top or bottom of at least half of the pages."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for p in pages:
        counts.update({_key(ln.text) for ln in _zone(p)})
    threshold = max(2, len(pages) // 2)
    return {k for k, n in counts.items() if n >= threshold and k}


def clean_page(page: RawPage, running: set[str]) -> list[Line]:
    """The page's body lines: running headers/footers and bare page numbers removed."""
    zone = {id(ln) for ln in _zone(page)}
    return [
        ln
        for ln in page.lines
        if not (
            id(ln) in zone and (_key(ln.text) in running or _PAGE_NUMBER.match(ln.text.strip()))
        )
    ]


def _zone(page: RawPage) -> list[Line]:
    """Lines among the first/last few that also sit in the top/bottom margin band."""
    lines = page.lines
    top = [ln for ln in lines[:ZONE] if ln.top < page.height * TOP_BAND]
    bottom = [ln for ln in lines[-ZONE:] if ln.top > page.height * BOTTOM_BAND]
    return top + bottom
