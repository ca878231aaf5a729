"""Numbers as printed in standards: decimal commas, thousands separators, powers of ten."""

from __future__ import annotations

import re

_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")

# One number: sign, integer part (optionally grouped), fraction, optional power of ten.
_INT = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d{1,3}(?:,\d{3})+(?![\d,])|\d+"
_EXP = (
    r"\s*[×xX·*]\s*10\s*(?:\^|\*\*)?\s*(?:[-−⁻+⁺]?\s*[\d⁰¹²³⁴⁵⁶⁷⁸⁹]+)|[eE][-+−]?\d+"
    r"|(?<=10)(?:\^|\*\*)[-−+]?\d+|(?<=10)[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+"
)
NUMBER = (
    r"(?P<sign>[-+−])?"
    rf"(?P<int>{_INT})"
    r"(?P<frac>[.,]\d+)?"
    rf"(?P<exp>{_EXP})?"
    r"(?!\d)"
)
# The same without group names, for embedding in larger patterns (ranges).
NUM = rf"[-+−]?(?:{_INT})(?:[.,]\d+)?(?:{_EXP})?(?!\d)"
# Not glued to a preceding ASCII word, number or code ("GB5009.12", "ISO 6468:1996").
BOUNDARY = r"(?<![A-Za-z0-9.,/:_\u0370-\u03ff\u0400-\u04ff])"
NUMBER_RE = re.compile(NUMBER)
NUM_RE = re.compile(BOUNDARY + NUMBER)


def parse_number(text: str, lang: str = "en", decimal_comma: bool | None = None) -> float:
    """Read one printed number (``0,30`` → 0.3, ``1 000`` → 1000, ``1×10⁻³`` → 0.001).

    A comma is a decimal comma when ``decimal_comma`` says so, when the integer part is 0,
    when the language is Russian, or when it is not followed by exactly three digits.
    """
    m = NUMBER_RE.fullmatch(text.strip())
    if not m:
        raise ValueError(f"not a number: {text!r}")
    return value_of(m, lang, decimal_comma)


def value_of(m: re.Match[str], lang: str = "en", decimal_comma: bool | None = None) -> float:
    sign = -1.0 if m.group("sign") in ("-", "−") else 1.0
    int_part = m.group("int")
    frac = m.group("frac") or ""
    if "," in int_part:
        # "1,000" style grouping matched as integer part
        if decimal_comma or lang == "ru" or int_part.startswith("0,"):
            head, _, tail = int_part.partition(",")
            int_part, frac = head, "." + tail.replace(",", "") + frac.lstrip(".,")
        else:
            int_part = int_part.replace(",", "")
    int_part = re.sub(r"[ \u00a0\u202f]", "", int_part)
    if frac.startswith(","):
        if decimal_comma is False and len(frac) == 4 and int_part != "0" and lang != "ru":
            int_part, frac = int_part + frac[1:], ""
        else:
            frac = "." + frac[1:]
    value = float(int_part + frac) * sign
    exp = m.group("exp")
    if exp:
        e = exp.translate(_SUP).replace("−", "-")
        e = re.sub(r"\s+", "", e)
        if e[0] in "eE":
            value *= 10.0 ** int(e[1:])
        elif e[0] in "^*" or e[0].isdigit() or e[0] in "-+":
            value = sign * 10.0 ** int(e.lstrip("^*"))
        else:
            power = re.sub(r"^[×xX·*]10(?:\^|\*\*)?", "", e)
            value *= 10.0 ** int(power)
    return value


# --- words and Chinese numerals -------------------------------------------------------------

#: "минус 38", "Минус 0,520", "minus 5": a negative number written with a word.
MINUS_WORD = re.compile(r"(?:минус|minus|负)\s*$", re.IGNORECASE)

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
#: A Chinese numeral (四十五, 一百二十, 三千): read only where a unit follows it directly.
CN_NUMERAL = re.compile(
    r"(?<![第每零〇一二两三四五六七八九十百千万])[零〇一二两三四五六七八九十百千万]+"
)


def parse_cn_numeral(text: str) -> float:
    """Value of a Chinese numeral such as ``四十五`` (45) or ``一百零五`` (105).

    Raises ``ValueError`` for strings that are not a well-formed numeral (``五五``, ``十十``).
    """
    total, section, digit = 0, 0, None
    last_unit = 10**9
    for i, ch in enumerate(text):
        if ch in "零〇" and 0 < i < len(text) - 1 and digit is None:
            continue  # 一百零五: the zero only holds a place
        if ch in _CN_DIGITS:
            if digit is not None:
                raise ValueError(f"not a Chinese numeral: {text!r}")
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit >= last_unit or (digit is None and not (i == 0 and unit == 10)):
                raise ValueError(f"not a Chinese numeral: {text!r}")
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit, last_unit = 0, None, 10**9
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return float(total + section + (digit or 0))
