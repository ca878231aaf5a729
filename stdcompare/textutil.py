"""Text helpers shared by the stages: script detection, normalisation, line joining."""

from __future__ import annotations

import re
import unicodedata

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CYR_RE = re.compile(r"[\u0400-\u04ff]")
_LAT_RE = re.compile(r"[A-Za-z]")

# Compatibility characters worth folding; everything else keeps its identity (µ, ≤, ≥, B₁, O₂,
# ℃, full-width CJK punctuation are meaningful in standards and are kept as printed).
_FOLD = {
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u3000": " ",
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\u2212": "-",  # minus sign
    "\u00ad": "",  # soft hyphen
    "\u200b": "",
    "\ufeff": "",
}
_FULLWIDTH_ALNUM = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH_ALNUM.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH_ALNUM.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH_ALNUM["\uff0e"] = "."  # full-width full stop inside numbers
_FULLWIDTH_ALNUM["\uff0f"] = "/"
_FULLWIDTH_ALNUM["\uff05"] = "%"
_TRANS = str.maketrans({**_FOLD, **_FULLWIDTH_ALNUM})
_SPACES = re.compile(r"[ \t]+")


def normalize(text: str) -> str:
    """NFC, fold spaces, ligatures and full-width letters/digits; keep µ, ≤, ≥, subscripts."""
    text = unicodedata.normalize("NFC", text).translate(_TRANS)
    return _SPACES.sub(" ", text)


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def script_counts(text: str) -> dict[str, int]:
    return {
        "zh": len(_CJK_RE.findall(text)),
        "ru": len(_CYR_RE.findall(text)),
        "en": len(_LAT_RE.findall(text)),
    }


_WORD_RE = re.compile(r"[A-Za-z\u0400-\u04ff]{4,}")


def detect_language(text: str) -> str:
    """``zh``, ``ru`` or ``en`` from the script mix.

    A CJK glyph is a word; Latin and Cyrillic letters count as words only in runs of four or
    more, so units, symbols and codes (mg/kg, pH, NTU, GB/T, CFU) do not outvote a few
    Chinese characters: "铅 0.5 mg/kg" and "pH值范围（25℃）" are Chinese."""
    c = script_counts(text)
    if c["zh"] * 3 >= max(c["ru"], c["en"]) and c["zh"] >= 20:
        return "zh"
    if c["zh"]:
        words = _WORD_RE.findall(text)
        if c["zh"] >= len(words) and (len(text) < 400 or c["zh"] >= 20):
            return "zh"
    if c["ru"] >= c["en"] and c["ru"] > 0:
        return "ru"
    return "en"
