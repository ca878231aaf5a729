"""The quantity grammar: numbers with their comparator, unit, range or tolerance.

:func:`scan` finds every number of a text that could be a limit, with what is printed around
it: a comparator before (``不得超过``, ``not more than``, ``не более``, ``≤``) or after
(``以下``, ``max.``, ``or less``), a unit, a range (``6.5～8.5``, ``≥ 6,5 and ≤ 9,5``,
``от 820,0 до 845,0``, ``between 45,0 kPa and 60,0 kPa``), a tolerance (``(12,0 ± 0,5) %``,
``230 V ± 10 %``), a "not detected" with its detection limit and tested quantity
(``不得检出（<0.5 μg/kg）``, ``absence in 25 g``), a sampling plan (``m=10 CFU/g, M=100 CFU/g``).
Numbers inside references (codes, dates, clause numbers, grades) are skipped.

:func:`find_quantities` keeps the limit expressions: those with a printed comparator, ranges,
tolerances, "not detected", and — where the caller says the text sits in a limits column — bare
numbers. Deciding whether a bare value in running text is a limit needs the sentence around it;
that is :mod:`stdcompare.indicators.parse`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from . import lexicon
from .numbers import (
    BOUNDARY,
    CN_NUMERAL,
    MINUS_WORD,
    NUM,
    NUM_RE,
    parse_cn_numeral,
    parse_number,
    value_of,
)
from .references import reference_spans
from .units import lookup, match_unit


@dataclass(frozen=True)
class Quantity:
    """A value found in text; ``start``/``end`` are character offsets of the whole expression.

    ``comparator`` is ``None`` for a bare number. ``explicit`` says the comparator is printed
    with the value (not implied by a column or a weak word such as 为 / shall be / до);
    ``kind`` is ``value``, ``range``, ``tolerance``, ``not_detected`` or ``plan`` (the M of a
    sampling plan). ``per`` is the tested quantity of a "not detected" (``25 g``).
    """

    start: int
    end: int
    comparator: str | None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    text: str = ""
    explicit: bool = False
    kind: str = "value"
    per: str = ""
    weak: bool = False
    num_start: int = -1


_GE = (
    r"(?:≥|⩾|≧|>=|不小于|不低于|不应低于|not\s+less\s+than|no\s+less\s+than|min\.?|minimum|at\s+least"
    r"|не\s+менее|не\s+ниже|не\s+меньше)"
)
_LE = (
    r"(?:≤|⩽|≦|<=|不大于|不超过|不高于|不应超过|not\s+more\s+than|no\s+more\s+than|max\.?|maximum"
    r"|at\s+most|не\s+более|не\s+выше|не\s+больше)"
)
_JOIN = r"\s*(?:且|并且|而且|和|及|,|，|;|；|\band\b|\bи\b|\bbut\b|—|–)?\s*"
_DASH = r"\s*(?:～|~|〜|—|–|‑|-|至|到|\bto\b)\s*"
_SEP_WORD = r"(?:\band\b|\bto\b|\bдо\b|\bи\b|～|~|〜|—|–|‑|-|至|到)"


_HOLD = "\ue000"  # stands for a unit in the shadow text the range patterns read


def _u(name: str) -> str:
    return rf"(?:\s*(?P<{name}>{_HOLD}+))?"


def _n(name: str) -> str:
    return rf"(?P<{name}>(?:(?:минус|Минус|МИНУС|minus)\s+)?{NUM})"


@functools.lru_cache(maxsize=1)
def _range_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    flags = re.IGNORECASE
    n1, n2 = _n("n1"), _n("n2")
    u1, u2 = _u("u1"), _u("u2")
    between = (
        r"(?:\bbetween|\bfrom|\bwithin(?:\s+the\s+range(?:\s+of)?)?|\bin\s+the\s+range(?:\s+of)?"
        r"|\bв\s+пределах(?:\s+от)?|\bв\s+диапазоне(?:\s+от)?|\bот|范围为|范围是|控制在|应在|在)"
    )
    return (
        (re.compile(rf"{_GE}\s*{n1}{u1}{_JOIN}{_LE}\s*{n2}{u2}", flags), "ge_le"),
        (re.compile(rf"{_LE}\s*{n2}{u2}{_JOIN}{_GE}\s*{n1}{u1}", flags), "ge_le"),
        (
            re.compile(
                rf"(?:не\s+(?:должно|должна|должен|должны)\s+(?:быть\s+)?|not\s+be\s+)"
                rf"(?:менее|ниже|less\s+than|lower\s+than)\s*{n1}{u1}"
                rf"\s*(?:и|или|and|or)\s+(?:не\s+)?(?:более|выше|more\s+than|higher\s+than)\s*{n2}{u2}",
                flags,
            ),
            "ge_le",
        ),
        (
            re.compile(
                rf"{between}\s*{n1}{u1}\s*(?:до|to|and|и|-|–|—|～|~|〜|至|到)\s*{n2}{u2}"
                r"(?:\s*之间|\s*范围内|\s*inclusive)?",
                flags,
            ),
            "between",
        ),
        (
            re.compile(
                BOUNDARY + rf"[(（]?\s*{n1}{u1}\s*(?:±|\+/-|\+-|\+/−)\s*{n2}{u2}\s*[)）]?"
                rf"(?:\s*(?P<u3>{_HOLD}+))?",
                flags,
            ),
            "tolerance",
        ),
        (re.compile(BOUNDARY + rf"{n1}{u1}{_DASH}{n2}{u2}", flags), "dash"),
    )


def _value(s: str, lang: str, decimal_comma: bool | None) -> float:
    neg = False
    m = re.match(r"(?:минус|minus)\s+", s, re.IGNORECASE)
    if m:
        s, neg = s[m.end() :], True
    v = parse_number(s, lang, decimal_comma)
    return -v if neg else v


def _inside(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    s, e = span
    return any(s < me and e > ms for ms, me in spans)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \u00a0\u202f\t":
        pos += 1
    return pos


def unit_at(text: str, pos: int) -> re.Match[str] | None:
    """The unit printed right after ``pos`` (spaces skipped), if any."""
    um = match_unit(text, _skip_space(text, pos))
    if um is None or not um.group(0).strip():
        return None
    end = um.end()
    # "5 mgx" is not a unit; a unit glued to a following Latin/Cyrillic word is not either
    if (
        end < len(text)
        and re.match(r"[A-Za-zА-Яа-яЁё]", text[end])
        and re.search(r"[A-Za-zА-Яа-яЁё]$", um.group(0))
    ):
        return None
    return um


# after "shall not be present" / "не должны присутствовать": the amount that is not allowed,
# which makes the phrase a maximum ("in amounts greater than the maximum levels below")
_AMOUNTS_OVER = re.compile(
    r"[\s,]+(?:in\s+(?:amounts?|quantities|quantity|concentrations?|levels?)\s+"
    r"(?:greater|higher|more|larger|exceeding|above|over|in\s+excess)"
    r"|в\s+(?:количеств|концентраци)\w*,?\s+(?:превыша|более|выше|свыше))",
    re.IGNORECASE,
)


def scan(text: str, lang: str | None = None, decimal_comma: bool | None = None) -> list[Quantity]:
    """Every number of ``text`` that is not a reference, as a :class:`Quantity` (in order)."""
    if lang is None:
        from .parse import guess_language

        lang = guess_language(text)
    taken: list[tuple[int, int]] = list(reference_spans(text))
    out: list[Quantity] = []

    def add(q: Quantity) -> None:
        out.append(q)
        taken.append((q.start, q.end))

    for q in _sampling_plan(text, lang, decimal_comma, taken):
        add(q)
    nd_pat, _ = lexicon.compiled("none", strong_only=False)
    for m in nd_pat.finditer(text):
        if _inside(m.span(), taken):
            continue
        if re.match(r"\s+of\b", text[m.end() :]) or re.search(r"\bin\s+the\s+$", text[: m.start()]):
            continue  # "in the absence of such specifications"
        if _AMOUNTS_OVER.match(text, m.end()):
            continue  # "shall not be present in amounts greater than …": a maximum, not absence
        add(_not_detected(text, m, lang, decimal_comma))
    shadow = _shadow_units(text)
    for rx, kind in _range_patterns():
        for m in rx.finditer(shadow):
            if _inside(m.span(), taken):
                continue
            rq = _range_quantity(text, m, kind, lang, decimal_comma)
            if rq is not None:
                add(rq)
    for q in _single_values(text, lang, decimal_comma, taken):
        add(q)
    out.sort(key=lambda q: q.start)
    return [_half_grade(text, q) for q in out]


def _half_grade(text: str, q: Quantity) -> Quantity:
    """ "不低于3-4级", "не менее 3-4 баллов": the half grade of a rating scale between 3 and 4
    (ISO 105 grey scale), a single value, not a range."""
    if q.kind != "range" or q.low is None or q.high != q.low + 1 or not is_grade(q.unit):
        return q
    before_pat, _ = lexicon.compiled("before", strong_only=False)
    lm = _ends_with(before_pat, text[max(0, q.start - 60) : q.start])
    comp = lexicon.comparator_of(lm.group(0), "before") if lm is not None else None
    start = q.start - (len(text[max(0, q.start - 60) : q.start]) - lm.start()) if lm else q.start
    return replace(
        q,
        start=start,
        kind="value",
        comparator=comp,
        value=q.low + 0.5,
        low=None,
        high=None,
        text=text[start : q.end],
        explicit=comp is not None,
    )


def _shadow_units(text: str) -> str:
    """``text`` with every unit printed after a number (or after a bracket closing one) replaced
    by placeholder characters of the same length, so that the range patterns need not embed
    the unit grammar and cannot read the digits of "mg/100 g" as a number."""
    chars = list(text)
    starts = [m.end() for m in NUM_RE.finditer(text)]
    starts += [m.end() for m in re.finditer(r"\d\s*[)）]", text)]
    for pos in starts:
        um = unit_at(text, pos)
        if um is not None:
            for i in range(um.start(), um.end()):
                chars[i] = _HOLD
    return "".join(chars)


def _group(text: str, m: re.Match[str], name: str) -> str:
    """A group of a match on the shadow text, read from the original text."""
    a, b = m.span(name)
    return text[a:b] if a >= 0 else ""


def _single_values(
    text: str, lang: str, decimal_comma: bool | None, taken: list[tuple[int, int]]
) -> list[Quantity]:
    before_pat, _ = lexicon.compiled("before", strong_only=False)
    after_pat, _ = lexicon.compiled("after", strong_only=False)
    found: list[tuple[int, int, float]] = []
    for m in NUM_RE.finditer(text):
        if not _inside(m.span(), taken):
            found.append((m.start(), m.end(), value_of(m, lang, decimal_comma)))
    for m in CN_NUMERAL.finditer(text):
        if _inside(m.span(), taken) or unit_at(text, m.end()) is None:
            continue
        if re.match(r"级", text[m.end() :]):
            continue  # 一级, 二级: the name of a grade, not a number of grades
        try:
            found.append((m.start(), m.end(), parse_cn_numeral(m.group(0))))
        except ValueError:
            continue
    out = []
    for start, end, value in sorted(found):
        num_start = start
        left = text[max(0, start - 60) : start]
        mw = MINUS_WORD.search(left)
        if mw and not re.search(r"\d\s*$", left[: mw.start()]):
            value, start = -value, start - (len(left) - mw.start())
            left = text[max(0, start - 60) : start]
        comp, explicit, weak = None, False, False
        lm = _ends_with(before_pat, left)
        if lm is not None:
            phrase = lm.group(0)
            comp = lexicon.comparator_of(phrase, "before")
            weak = lexicon.is_weak(phrase, "before")
            explicit = not weak
            start = start - (len(left) - lm.start())
        unit = ""
        um = unit_at(text, end)
        if um is not None:
            unit, end = um.group(0), um.end()
        am = after_pat.match(text, _skip_space(text, end))
        if am is not None and (comp is None or weak):
            comp, explicit, weak = lexicon.comparator_of(am.group(0), "after"), True, False
            end = am.end()
        if comp == "not_detected":
            comp = None
        out.append(
            Quantity(
                start,
                end,
                comp,
                value=value,
                unit=unit,
                text=text[start:end],
                explicit=explicit,
                weak=weak,
                num_start=num_start,
            )
        )
    return out


def _ends_with(pattern: re.Pattern[str], left: str) -> re.Match[str] | None:
    """The comparator phrase that ends ``left`` (spaces and a colon or dash may follow it)."""
    stripped = re.sub(r"[\s:：]*$", "", left)
    best = None
    for m in pattern.finditer(stripped):
        if m.end() == len(stripped):
            best = m
    return best


def _range_quantity(
    text: str, m: re.Match[str], kind: str, lang: str, decimal_comma: bool | None
) -> Quantity | None:
    try:
        a = _value(m.group("n1"), lang, decimal_comma)
        b = _value(m.group("n2"), lang, decimal_comma)
    except ValueError:
        return None
    u1, u2 = _group(text, m, "u1"), _group(text, m, "u2")
    raw = text[m.start() : m.end()]
    if kind == "tolerance":
        u3 = _group(text, m, "u3")
        unit = u1 or u3 or u2
        d = b
        if u2.strip() in ("%",) and unit.strip() != "%":
            d = abs(a) * b / 100.0  # a relative tolerance: "230 V ± 10 %"
            if not u1 and not u3:
                return None
        if u1 and u2 and u2.strip() != "%" and not _same_kind(u1, u2):
            return None
        return Quantity(
            m.start(),
            m.end(),
            "range",
            value=a,
            low=a - d,
            high=a + d,
            unit=unit,
            text=raw,
            explicit=True,
            kind="tolerance",
            num_start=m.start("n1"),
        )
    if kind == "dash":
        sep = raw[m.end("n1") - m.start() : m.start("n2") - m.start()]
        if u1 and not u2 and not re.search(r"[～~〜至到]|\bto\b", sep):
            return None  # "10 mg/kg - 20" is not printed as a range
        if "-" in sep or "‑" in sep:
            # "2-3" list items or a minus sign are not ranges without decimals or a unit
            if not (u1 or u2 or re.search(r"[.,]", raw)):
                return None
            if not re.search(r"\s-\s|\d-\d", raw):
                return None
        if a > b and not (a < 0 and b < 0 and re.search(r"[～~〜至到]", sep)):
            return None
        if u1 and u2 and not _same_kind(u1, u2):
            return None
    if kind == "between" and u1 and u2 and not _same_kind(u1, u2):
        return None
    if a > b:
        a, b = b, a
    unit = u2 or u1
    return Quantity(
        m.start(),
        m.end(),
        "range",
        low=a,
        high=b,
        unit=unit,
        text=raw,
        explicit=True,
        kind="range",
        num_start=m.start("n1"),
    )


def _same_kind(u1: str, u2: str) -> bool:
    from .units import comparable

    ok, _ = comparable(u1, u2)
    return ok


_LOD = re.compile(
    r"\s*[(（]?\s*(?P<lead><|＜|≤|检出限\s*[:：为]?|LOD\s*[:=]?|limit\s+of\s+detection\s*[:=]?"
    r"|предел\s+обнаружения\s*[:=—-]?)\s*(?P<n>" + NUM + r")",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1)
def _per_rx() -> re.Pattern[str]:
    return re.compile(
        r"\s*(?:(?:in|per|в|во|на)\s+|/\s*)(?P<n>\d+(?:[.,]\d+)?)\s*(?P<u>(?:g|г|mL|ml|мл|L|l|л|"
        r"cm³|см³|см3|kg|кг|дм³|dm³|克|毫升|升))(?![A-Za-zА-Яа-я])"
        r"(?:\s+(?:of\s+(?:the\s+)?)?(?:product|продукта|продукции|образца|sample|food|пробы))?",
        re.IGNORECASE,
    )


def _not_detected(text: str, m: re.Match[str], lang: str, decimal_comma: bool | None) -> Quantity:
    end = m.end()
    per = ""
    sm = _per_rx().match(text, end)
    if sm:
        per = f"{sm.group('n')} {sm.group('u')}"
        end = sm.end()
    value, unit = None, ""
    lod = _LOD.match(text, end)
    if lod:
        um = unit_at(text, lod.end())
        try:
            value = _value(lod.group("n"), lang, decimal_comma)
        except ValueError:
            value = None
        if value is not None:
            unit = um.group(0) if um else ""
            end = um.end() if um else lod.end()
            close = re.match(r"\s*[)）]", text[end:])
            if close:
                end += close.end()
    return Quantity(
        m.start(),
        end,
        "not_detected",
        value=value,
        unit=unit,
        text=text[m.start() : end],
        explicit=True,
        kind="not_detected",
        per=per,
        num_start=m.start(),
    )


_PLAN_M = re.compile(r"(?<![A-Za-z])(?P<k>[mM])\s*=\s*(?P<n>" + NUM + r")")


def _sampling_plan(
    text: str, lang: str, decimal_comma: bool | None, taken: list[tuple[int, int]]
) -> list[Quantity]:
    """ "m=10 CFU/g, M=100 CFU/g": the M is the limit; m counts when no M is printed (two-class
    plan). Both are taken out of the text either way."""
    hits = [h for h in _PLAN_M.finditer(text) if not _inside(h.span(), taken)]
    if not hits:
        return []
    big = [h for h in hits if h.group("k") == "M"]
    plan = bool(re.search(r"(?<![A-Za-z])[nc]\s*=\s*\d", text)) or bool(big)
    if not plan:
        return []
    out = []
    for h in hits:
        um = unit_at(text, h.end())
        end = um.end() if um else h.end()
        try:
            v = _value(h.group("n"), lang, decimal_comma)
        except ValueError:
            continue
        is_limit = h.group("k") == "M" or not big
        if not is_limit:
            taken.append((h.start(), end))
            continue
        comp = "<=" if v != 0 else "not_detected"
        out.append(
            Quantity(
                h.start(),
                end,
                comp,
                value=v if v != 0 else None,
                unit=um.group(0) if um and v else "",
                text=text[h.start() : end],
                explicit=True,
                kind="plan",
                num_start=h.start("n"),
            )
        )
    return out


def find_quantities(
    text: str,
    lang: str | None = None,
    *,
    default_comparator: str | None = None,
    default_unit: str = "",
    decimal_comma: bool | None = None,
) -> list[Quantity]:
    """Limit expressions in ``text``, in order.

    Without ``default_comparator`` a bare number is not a limit; in a limits column (where
    the heading says 限量 / Maximum level / не более) pass the comparator it implies, and the
    column's unit as ``default_unit``.
    """
    out: list[Quantity] = []
    for q in scan(text, lang, decimal_comma):
        if q.comparator is None or (q.weak and not q.unit):
            if default_comparator is None:
                continue
            q = replace(q, comparator=default_comparator, weak=False)
        if not q.unit and default_unit and q.kind != "not_detected":
            q = replace(q, unit=default_unit)
        prev = out[-1] if out else None
        if (
            prev is not None
            and is_grade(q.unit)
            and prev.kind == "value"
            and prev.value is not None
            and q.value == prev.value + 1
            and re.fullmatch(r"\s*[-‐–]\s*", text[prev.end : q.start])
        ):
            # a half grade in a grade column: "3-4" under 色牢度/级 ≥ lies between 3 and 4
            out[-1] = replace(
                prev, end=q.end, value=prev.value + 0.5, text=text[prev.start : q.end]
            )
            continue
        out.append(q)
    return out


def is_grade(unit: str) -> bool:
    """Whether ``unit`` is a grade of a rating scale (级, баллов, grade)."""
    info = lookup(unit) if unit and unit.strip() else None
    return info is not None and info.expr == "rating_grade"
