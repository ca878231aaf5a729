"""Per-page text-layer health: empty, scanned, broken font layer, garbled text, or read by OCR."""

from __future__ import annotations

from ..model import PageHealth
from .raw import RawPage

BROKEN_SHARE = 0.05  # share of glyphs without a Unicode map, private-use or U+FFFD
GARBLED_SHARE = 0.3  # share of characters from scripts standards do not use
COMMON_CJK_SHARE = 0.5  # real Chinese text uses GB 2312 level-1 hanzi for ~95% of its hanzi
MIN_CJK_FOR_SHARE = 40
SCANNED_IMAGE_SHARE = 0.3  # share of the page covered by images
MIN_TEXT_CHARS = 10
MOSTLY_IMAGE = 0.6  # an image over most of the page …
FEW_CHARS = 120  # … with fewer characters than a few lines of text: a scanned page


def page_health(page: RawPage) -> PageHealth:
    """Classify one page; ``detail`` says what was seen, in words a user can act on."""
    if page.ocr:
        return PageHealth(page.number, "ocr", page.chars, page.ocr, confidence=page.ocr_confidence)
    area = max(page.width * page.height, 1.0)
    image_share = page.image_area / area
    if page.chars < MIN_TEXT_CHARS:
        if image_share >= SCANNED_IMAGE_SHARE:
            return PageHealth(
                page.number,
                "scanned",
                page.chars,
                f"an image covers {image_share:.0%} of the page and there is no text layer",
            )
        return PageHealth(page.number, "empty", page.chars, "no text on this page")
    if image_share >= MOSTLY_IMAGE and page.chars < FEW_CHARS:
        # a scan with a digital stamp, header or page number on it
        return PageHealth(
            page.number,
            "scanned",
            page.chars,
            f"an image covers {image_share:.0%} of the page and the text layer holds only "
            f"{page.chars} characters",
        )
    bad = page.cid_glyphs + page.private_use + page.replacement
    if bad / page.chars >= BROKEN_SHARE:
        parts = []
        if page.cid_glyphs:
            parts.append(
                f"{page.cid_glyphs} glyphs without a Unicode map ((cid:NN) in other tools)"
            )
        if page.private_use:
            parts.append(f"{page.private_use} private-use glyphs")
        if page.replacement:
            parts.append(f"{page.replacement} replacement characters")
        return PageHealth(
            page.number,
            "broken_font",
            page.chars,
            "the font has no usable Unicode map: " + ", ".join(parts) + f" of {page.chars}",
        )
    if page.odd / page.chars >= GARBLED_SHARE:
        return PageHealth(
            page.number,
            "garbled",
            page.chars,
            f"{page.odd} of {page.chars} characters belong to scripts a standard does not use "
            "(the font maps its glyphs to wrong code points)",
        )
    if page.cjk >= MIN_CJK_FOR_SHARE and page.cjk_common / page.cjk < COMMON_CJK_SHARE:
        return PageHealth(
            page.number,
            "garbled",
            page.chars,
            f"only {page.cjk_common} of {page.cjk} Chinese characters are common ones "
            "(the font maps its glyphs to wrong code points)",
        )
    return PageHealth(page.number, "ok", page.chars)


def summarize(health: tuple[PageHealth, ...]) -> str:
    """One line such as ``broken_font on pages 2-4, 7; scanned on page 9``."""
    by: dict[str, list[int]] = {}
    for h in health:
        if h.status not in ("ok", "empty"):
            by.setdefault(h.status + (" (skipped)" if h.skipped else ""), []).append(h.page)
    return "; ".join(f"{k} on {_pages(v)}" for k, v in by.items())


def page_list(nums: list[int]) -> str:
    """``page 3`` or ``pages 1-4, 7``."""
    return _pages(nums)


def _pages(nums: list[int]) -> str:
    spans: list[str] = []
    start = prev = nums[0]
    for n in [*nums[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        spans.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ("page " if len(nums) == 1 else "pages ") + ", ".join(spans)
