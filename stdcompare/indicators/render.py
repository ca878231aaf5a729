"""Indicators written out as text in Chinese, English or Russian.

:func:`render` turns an :class:`~stdcompare.model.Indicator` into a requirement sentence in
the drafting style of each language ("谷物中铅的含量不大于0.2 mg/kg。", "Lead in cereals shall
not exceed 0.2 mg/kg.", "Свинец в зерне — не более 0,2 мг/кг."); :func:`render_limit` writes
the limit alone ("≤ 0.2 mg/kg", "不小于6.5且不大于8.5", "от 6,5 до 8,5"). Several phrasings
exist per comparator (``variant`` picks one), so that tests can check that whatever the
renderer writes, :func:`~stdcompare.indicators.parse_text` reads back the same record; the
report can use it to show a limit in the reader's language.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Indicator
from .glossary import Glossary, default_glossary

LANGS = ("zh", "en", "ru")

# comparator → phrasings placed before the value ({v} is the value with its unit)
_PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "zh": {
        "<=": ("不大于{v}", "不超过{v}", "≤{v}", "不得超过{v}", "不高于{v}", "应在{v}以下"),
        "<": ("小于{v}", "低于{v}", "<{v}"),
        ">=": ("不小于{v}", "不低于{v}", "≥{v}", "应在{v}以上"),
        ">": ("大于{v}", "高于{v}", ">{v}"),
        "=": ("应为{v}",),
    },
    "en": {
        "<=": ("shall not exceed {v}", "not more than {v}", "≤ {v}", "max. {v}", "{v} maximum"),
        "<": ("less than {v}", "below {v}", "< {v}"),
        ">=": ("not less than {v}", "at least {v}", "≥ {v}", "min. {v}", "{v} minimum"),
        ">": ("more than {v}", "above {v}", "> {v}", "greater than {v}"),
        "=": ("shall be {v}",),
    },
    "ru": {
        "<=": ("не более {v}", "не должно превышать {v}", "не выше {v}", "≤ {v}"),
        "<": ("менее {v}", "ниже {v}", "< {v}"),
        ">=": ("не менее {v}", "не ниже {v}", "≥ {v}"),
        ">": ("более {v}", "свыше {v}", "> {v}"),
        "=": ("должно быть равно {v}",),
    },
}
_RANGES = {
    "zh": ("{a}～{b}", "不小于{a}且不大于{b}"),
    "en": ("between {a} and {b}", "{a} to {b}", "≥ {a} and ≤ {b}"),
    "ru": ("от {a} до {b}", "в пределах {a}–{b}", "не менее {a} и не более {b}"),
}
_NOT_DETECTED = {
    "zh": ("不得检出", "不应检出"),
    "en": ("not detected", "shall be absent"),
    "ru": ("не допускается", "отсутствие"),
}


def format_number(x: float, lang: str = "en", decimal_comma: bool | None = None) -> str:
    """A value as a standard prints it: no exponent, no trailing zeros, a decimal comma in
    Russian (or when asked), thin grouping of thousands in Russian ("1 000")."""
    d = Decimal(repr(float(x))).normalize()
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s in ("-0", ""):
        s = "0"
    comma = decimal_comma if decimal_comma is not None else lang == "ru"
    neg = s.startswith("-")
    body = s.lstrip("-")
    intpart, _, frac = body.partition(".")
    if lang == "ru" and len(intpart) > 4:
        groups: list[str] = []
        while len(intpart) > 3:
            groups.insert(0, intpart[-3:])
            intpart = intpart[:-3]
        intpart = " ".join([intpart, *groups])
    out = intpart + ((("," if comma else ".") + frac) if frac else "")
    return ("-" if neg else "") + out


def _with_unit(value: str, unit: str, lang: str) -> str:
    if not unit:
        return value
    if unit in ("%", "‰") and lang == "zh":
        return value + unit
    return f"{value} {unit}"


def render_limit(
    comparator: str,
    value: float | None = None,
    low: float | None = None,
    high: float | None = None,
    unit: str = "",
    lang: str = "en",
    variant: int = 0,
) -> str:
    """The limit alone, e.g. ``不大于0.5 mg/kg``, ``between 6.5 and 8.5``, ``от 820 до 845 кг/м³``."""
    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    if comparator == "range":
        if low is None or high is None:
            raise ValueError("a range needs low and high")
        pattern = _RANGES[lang][variant % len(_RANGES[lang])]
        a, b = format_number(low, lang), format_number(high, lang)
        text = pattern.format(a=a, b=b)
        return _with_unit(text, unit, lang)
    if comparator == "not_detected":
        phrase = _NOT_DETECTED[lang][variant % len(_NOT_DETECTED[lang])]
        if value is None:
            return phrase
        lod = _with_unit(format_number(value, lang), unit, lang)
        return f"{phrase}（<{lod}）" if lang == "zh" else f"{phrase} (< {lod})"
    phrases = _PHRASES[lang].get(comparator)
    if phrases is None:
        raise ValueError(f"unknown comparator {comparator!r}")
    if value is None:
        raise ValueError(f"comparator {comparator!r} needs a value")
    return phrases[variant % len(phrases)].format(
        v=_with_unit(format_number(value, lang), unit, lang)
    )


def _name(name: str, cid: str | None, lang: str, g: Glossary) -> str:
    if cid and cid in g:
        return g[cid].name(lang)
    return name


def render(
    ind: Indicator,
    lang: str = "en",
    *,
    variant: int = 0,
    glossary: Glossary | None = None,
) -> str:
    """A requirement sentence stating ``ind`` in ``lang``.

    The parameter and product are written with their glossary names in ``lang`` when the
    indicator carries ``parameter_id`` / ``product_id``, else as given.
    """
    g = glossary if glossary is not None else default_glossary()
    param = _name(ind.parameter, ind.parameter_id, lang, g)
    product = _name(ind.product, ind.product_id, lang, g) if (ind.product or ind.product_id) else ""
    limit = render_limit(
        ind.comparator, ind.value, ind.low, ind.high, ind.unit, lang=lang, variant=variant
    )
    if lang == "zh":
        subject = f"{product}中{param}" if product else param
        if ind.comparator == "not_detected":
            return f"{subject}{limit}。"
        if ind.comparator == "range":
            return f"{subject}应为{limit}。" if variant % 2 == 0 else f"{subject}{limit}。"
        return f"{subject}{limit}。"
    if lang == "ru":
        subject = f"{param} в {product}" if product else param
        subject = subject[:1].upper() + subject[1:]
        return f"{subject} — {limit}."
    subject = param[:1].upper() + param[1:]
    where = f" in {product}" if product else ""
    if ind.comparator == "not_detected":
        return f"{subject}{where}: {limit}."
    if ind.comparator == "range" and variant % len(_RANGES["en"]) == 0:
        return f"{subject}{where} shall be {limit}."
    if limit.startswith(("shall", "less", "more", "not", "at ", "below", "above", "greater")):
        return f"{subject}{where} {limit}."
    return f"{subject}{where}: {limit}."
