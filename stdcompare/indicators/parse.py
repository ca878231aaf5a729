"""Indicators of sentences: which values are limits, and what they limit.

``parse_text`` reads a passage sentence by sentence. In each sentence the quantity grammar
(:mod:`.quantities`) gives the values; a value is a limit when a comparator is printed with
it, when it is a range, a tolerance stated as a requirement or a "not detected", or — for a
bare value with a unit — when the sentence gives it a meaning: a limit noun before it
(限量, maximum level, ML, parametric value, допустимый уровень), a label (``Lead: 5 µg/l``,
``Свинец — 0,01 мг/дм³``), a list continuing a limit (``Bromate shall not exceed 10 µg/l,
chlorite 0,25 mg/l``), or a heading that says the figures are maxima. Values after
condition words (at 20 °C, при 15 °С, 在…下) are conditions; clauses about detection limits,
intake values or sampling state no limit; in procedure sentences only printed comparators count.
Names (parameter, product, basis) come from :mod:`.names`; table rows are in :mod:`.rows`.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..model import Indicator
from ..textutil import detect_language
from . import lexicon
from .context import Context, resolve
from .glossary import Glossary, default_glossary
from .names import (
    basis_matches,
    clean_name,
    find_basis,
    has_param,
    is_food,
    is_generic,
    limit_noun,
    remove_spans,
    split_chunk,
    strip_brackets_depth,
    strip_fillers,
)
from .quantities import Quantity, find_quantities, scan
from .references import find_method, method_pattern, reference_spans
from .units import is_ph, unit_pattern

__all__ = ["Context", "find_basis", "find_method", "find_quantities", "parse_row", "parse_text"]

_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=[.])\s+(?=[A-ZА-Я(（])|\n+")
# a full stop after these is not the end of a sentence
_ABBREV = re.compile(
    r"(?:\b(?:max|min|approx|No|Nr|Fig|e\.g|i\.e|p|pp|cf|vol|incl|excl|resp|abs|rel|ca|St|Mr|Dr"
    r"|п|пп|ст|г|гг|т|рис|табл|см|прил|мин|макс|ед|изм|др|т\.д|т\.е)\.)$",
    re.IGNORECASE,
)
_CLAUSE_DELIM = re.compile(r"[;；，。]|,(?!\d)")
_LABEL = re.compile(r"[:：]|\s[—–-]\s|\s[—–]|[—–]\s")
_TEMPERATURE = re.compile(r"℃|°\s*[CСF]|\bK\b")


@dataclass(frozen=True)
class _Limit:
    q: Quantity
    comparator: str
    how: str  # printed | range | tolerance | noun | list | label | heading | weak | paren


def guess_language(text: str) -> str:
    """zh, ru or en from the script of a snippet (a few Chinese characters decide; units and
    codes in Latin letters do not make a Chinese sentence English)."""
    if len(re.findall(r"[\u4e00-\u9fff]", text)) >= 2 or detect_language(text) == "zh":
        return "zh"
    cyr = len(re.findall(r"[А-Яа-яЁё]", text))
    lat = len(re.findall(r"[A-Za-z]", text))
    if cyr and cyr >= lat / 3:
        return "ru"
    return detect_language(text) if not (cyr or lat) else "en"


def _sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE_END.split(text or "")]
    out: list[str] = []
    for p in parts:
        if not p:
            continue
        if out and _ABBREV.search(out[-1]):
            out[-1] = f"{out[-1]} {p}"
        else:
            out.append(p)
    return out


def parse_text(
    text: str,
    lang: str | None = None,
    *,
    context: Context | None = None,
    glossary: Glossary | None = None,
    names_are_products: bool = False,
) -> list[Indicator]:
    """Indicators stated in a passage of text (one or more sentences).

    ``names_are_products`` says the passage qualifies a known parameter (a notes cell of a
    table row): names in it are products unless the glossary knows them as parameters.
    """
    g = glossary if glossary is not None else default_glossary()
    ctx = context or Context()
    lang = lang or ctx.lang or guess_language(text)
    ctx = resolve(ctx, g, lang)
    out: list[Indicator] = []
    lead: Context | None = None  # the list a sentence such as "不应超过下述值：" opens
    item = ""

    def flush() -> None:
        if lead is not None and item:
            out.extend(_parse_sentence(item, lang, lead, g, names_are_products))

    for sentence in _sentences(text):
        if lead is not None:
            if _LIST_ITEM.match(sentence):
                flush()
                item = _LIST_ITEM.sub("", sentence, count=1)
                continue
            if item and not re.search(r"[；;。.!?！？]\s*$", item):
                item = f"{item}{'' if lang == 'zh' else ' '}{sentence}"  # a wrapped item
                continue
            flush()
            lead, item = None, ""
        out.extend(_parse_sentence(sentence, lang, ctx, g, names_are_products))
        lead = _list_lead(sentence, lang, ctx, g)
    flush()
    return out


# a dashed, bulleted or lettered item of a list: "——对Ⅱ类器具 0.25 mA；", "– for class II …"
_LIST_ITEM = re.compile(r"^\s*(?:——|[—–•·-]\s|[a-zа-я]\)\s)")


def _list_lead(s: str, lang: str, ctx: Context, g: Glossary) -> Context | None:
    """A sentence that ends by opening a list of values with a comparator: "泄漏电流不应超过
    下述值：", "The leakage current shall not exceed the following values:". The items after
    it ("——对Ⅰ类便携式器具 0.75 mA；") are limits of that parameter and comparator."""
    before_pat, _ = lexicon.compiled("before")
    opens = re.compile(
        rf"\s*(?:{lexicon.role_regex('list_lead', lang).pattern})?\s*[:：]\s*$", re.IGNORECASE
    )
    hit = None
    for m in before_pat.finditer(s):
        if opens.match(s, m.end()):
            hit = m
    if hit is None:
        return None
    comp = lexicon.comparator_of(hit.group(0), "before")
    if comp in (None, "="):
        return None
    changes: dict[str, object] = {"comparator": comp}
    names = [
        m
        for m in (g.find(s[: hit.start()]) if len(g) else [])
        if g[m.concept_id].kind != "food_category"
    ]
    if names:
        changes["parameter"] = names[-1].text
        changes["parameter_id"] = names[-1].concept_id
    return replace(ctx, **changes)  # type: ignore[arg-type]


# --- which values are limits ---------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _rx(role: str, lang: str) -> re.Pattern[str]:
    return lexicon.role_regex(role, lang)


def _clause_span(s: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _CLAUSE_DELIM.finditer(s):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            return start, m.start()
    return start, len(s)


def _is_condition(s: str, q: Quantity, lang: str) -> bool:
    """A value printed as a test or reference condition: "at 20 °C", "при 15 °С", "在…下",
    "（20 ℃）" after a name, "距车辆7.5 m处"."""
    if q.kind in ("not_detected", "plan") or (q.explicit and q.kind == "value"):
        return False
    before = s[: q.start].rstrip()
    m = _condition_tail(lang).search(before)
    if m and not (lang == "en" and m.group(0).strip().lower() == "for" and not q.unit):
        return True
    after = s[q.end :].lstrip()
    am = _rx("condition_after", lang).match(after)
    if am and not re.search(r"[以及]$", s[: q.end].rstrip()):
        return True
    unit = q.unit or ""
    return bool(
        _TEMPERATURE.search(unit)
        and not q.explicit
        and (re.search(r"[(（]\s*$", before) or re.match(r"\s*[)）/]", s[q.end :]))
    )


@functools.lru_cache(maxsize=8)
def _condition_tail(lang: str) -> re.Pattern[str]:
    words = _rx("condition_before", lang).pattern
    return re.compile(
        rf"(?:{words})(?:\s+(?:a|the|of|temperature|температуре|давлении))*\s*[(（]?$",
        re.IGNORECASE,
    )


def _scope_condition(s: str, q: Quantity, lang: str, clause_start: int) -> bool:
    """A printed comparator that limits the product, not the parameter:
    "lawnmowers with a cutting width L ≤ 50 cm", "chocolate with ≥ 50 % cocoa solids"."""
    before = s[clause_start : q.start]
    m = _last(_rx("scope_before", lang), before)
    if m is None:
        return False
    between = before[m.end() :]
    return len(between.split()) <= 5 and not re.search(r"[,，;；:：]", between)


def _scope_noun(s: str, q: Quantity, lang: str, clause_start: int) -> bool:
    """A value right after the size of a supply, plant or population ("日供水在1000 m³以下",
    "supplies providing less than 10 m³ a day", "с численностью населения менее 10 000"):
    it says which products a rule covers, it is never a limit itself."""
    before = s[clause_start : q.start]
    m = _last(_rx("scope_noun", lang), before)
    if m is None:
        return False
    between = before[m.end() :]
    if re.search(r"[,，;；:：。]", between):
        return False
    if lang == "zh":
        return len(between.strip()) <= 4
    return len(between.split()) <= 3


def _alternative_unit(s: str, prev: Quantity, q: Quantity) -> bool:
    """The same value in another unit, as an alternative ("500 MPN/mL或500 CFU/mL", "0 CFU or
    0 MPN per 100 ml")."""
    if prev.kind != "value" or q.kind != "value" or not prev.unit or not q.unit:
        return False
    if prev.value is None or prev.value != q.value or prev.unit == q.unit:
        return False
    if q.explicit and q.comparator and q.comparator != prev.comparator:
        return False
    a, b = sorted((prev.unit, q.unit), key=len)
    if re.match(rf"{re.escape(a)}\s*(?:/|\bper\b|на\b)", b):
        return False  # "0.75 mA或0.75 mA/kW": a limit per unit of something, not the same limit
    return re.fullmatch(r"\s*(?:或|或者|\bor\b|\bили\b|/)\s*", s[prev.end : q.start]) is not None


def _last(rx: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = None
    for found in rx.finditer(text):  # noqa: B007 - the last match is wanted
        pass
    return found


def _in_conditional(s: str, q: Quantity, lang: str, cs: int, ce: int) -> bool:
    """A value inside an if/when clause ("若…大于1 Bq/L时", "if the level exceeds 5 mg/kg"):
    a trigger for some action, not a limit."""
    before = s[cs : q.start]
    if _rx("conditional", lang).search(before) and (
        lang != "en"
        or re.search(
            r"\b(?:if|when|whenever|in case|unless|provided that|where)\b"
            r"(?![^,;]*\b(?:shall|must|should)\b)",
            before,
            re.I,
        )
    ):
        return True
    if lang == "zh":
        after = s[q.end : ce]
        if re.search(r"时(?:[，,]|$)", after) or re.match(r"[^，,；;。]*时", after):
            return True
    return False


def _vetoed(s: str, q: Quantity, lang: str) -> bool:
    cs, ce = _clause_span(s, q.start)
    if _in_conditional(s, q, lang, cs, max(ce, q.end)):
        return True
    clause = s[cs:ce] if q.kind != "not_detected" else s[cs : max(ce, q.end)]
    for m in _rx("non_indicator", lang).finditer(clause):
        if q.kind == "not_detected" and not (cs + m.start() < q.end and q.start < cs + m.end()):
            continue
        return True
    return False


_PER_BEFORE = re.compile(r"(?:\b(?:in|per)\s+|\b(?:в|во|на)\s+|每\s*|/\s*)$", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _counted() -> re.Pattern[str]:
    connectors = lexicon.role_regex("connector").pattern
    return re.compile(rf"\s*(?!{connectors})[A-Za-zА-Яа-яЁё]{{2,}}", re.IGNORECASE)


def _counts_something(s: str, q: Quantity) -> bool:
    """ "25 tons", "100 incremental samples", "12 months", "10 проб": a number followed by a
    word that is not a unit counts things; it is not a limit."""
    if q.unit or q.kind in ("not_detected", "plan", "tolerance"):
        return False
    return _counted().match(s, q.end) is not None


def _limits(
    s: str, lang: str, ctx: Context, qs: list[Quantity], g: Glossary | None = None
) -> tuple[list[_Limit], list[Quantity]]:
    procedure = _rx("procedure", lang).search(s) is not None
    limits: list[_Limit] = []
    conds: list[Quantity] = []
    before_pat, _ = lexicon.compiled("before")
    # "不大于：", "не более: для риса — 15,0", "不应超过下述值：——对Ⅱ类器具 0.25 mA"
    opens_list = re.compile(
        rf"\s*(?:{lexicon.role_regex('list_lead', lang).pattern})?\s*[:：]", re.I
    )
    colon_scopes = [
        (m.end(), lexicon.comparator_of(m.group(0), "before") or "")
        for m in before_pat.finditer(s)
        if opens_list.match(s, m.end())
        and lexicon.comparator_of(m.group(0), "before") not in (None, "=")
    ]
    noun_scopes = _noun_colon_scopes(s, lang)
    for q in qs:
        if _counts_something(s, q):
            continue
        cs, _ = _clause_span(s, q.start)
        if _is_condition(s, q, lang):
            conds.append(q)
            continue
        if _vetoed(s, q, lang):
            continue
        prev = limits[-1] if limits else None
        if q.kind == "value" and _scope_noun(s, q, lang, cs):
            continue  # the size of the supply or population the rule covers
        if prev is not None and _alternative_unit(s, prev.q, q):
            # "菌落总数500 MPN/mL或500 CFU/mL": one limit in either unit
            sep = s[prev.q.end : q.start].strip()
            unit = (
                f"{prev.q.unit}{sep}{q.unit}" if lang == "zh" else f"{prev.q.unit} {sep} {q.unit}"
            )
            merged = replace(prev.q, end=q.end, unit=unit, text=s[prev.q.start : q.end])
            limits[-1] = _Limit(merged, prev.comparator, prev.how)
            continue
        if q.kind in ("not_detected", "plan"):
            limits.append(_Limit(q, q.comparator or "not_detected", "printed"))
            continue
        if q.kind in ("range", "tolerance"):
            if procedure:
                continue
            limits.append(_Limit(q, "range", q.kind))
            continue
        if q.explicit and q.comparator:
            if lang == "zh" and re.match(r"\s*(?:[（(][^（()）]*[)）]\s*)?的", s[q.end :]):
                # "含量不低于50%的产品", "日供水在1000 m³以下（或…）的农村集中式供水": a relative
                # clause describing the product
                continue
            if _scope_condition(s, q, lang, cs) and (
                re.match(r"\s*(?:[A-Za-zА-Яа-яЁё]{3,}|[\u4e00-\u9fff])", s[q.end :])
                or any(x.start > q.end and (x.explicit or x.unit) for x in qs)
            ):
                continue  # "beverages containing more than 15 % alcohol": the product's scope
            limits.append(_Limit(q, q.comparator, "printed"))
            continue
        left = s[cs : q.start]
        unit = q.unit or (ctx.unit if ctx.comparator else "")
        if q.weak and q.comparator:
            if not unit or procedure:
                continue  # "经受频率为50 Hz的电压": a test condition, not a limit
            comp = _governing_noun(left, weak=True, g=g)
            if comp is None and q.comparator == "=":
                comp = _extreme_word(left, g) or _continued_limit(s, prev, q) or ctx.comparator
            limits.append(_Limit(q, comp or q.comparator, "weak"))
            continue
        # a bare value
        if procedure or _PER_BEFORE.search(s[: q.num_start if q.num_start >= 0 else q.start]):
            continue
        gap = s[prev.q.end : q.start] if prev else None
        if prev is not None and gap is not None and _pure_list(gap):
            limits.append(_Limit(q, prev.comparator, "list"))
            continue
        opened = [c for pos, c in colon_scopes if pos <= q.start]
        if opened and not any(
            x.q.explicit and x.q.start > max(p for p, _ in colon_scopes if p <= q.start)
            for x in limits
        ):
            # "Массовая доля влаги, %, не более: для риса — 15,0; для пшеницы — 14,0"
            limits.append(_Limit(q, opened[-1], "colon"))
            continue
        by_noun = [c for pos, c in noun_scopes if pos <= q.start]
        if by_noun and q.unit:
            # "下列指标可按以下限值执行：菌落总数500 MPN/mL；氟化物1.2 mg/L"
            limits.append(_Limit(q, by_noun[-1], "colon"))
            continue
        if not unit:
            continue
        if prev is not None and gap is not None and re.fullmatch(r"\s*[(（]\s*", gap):
            limits.append(_Limit(q, prev.comparator, "paren"))
            continue
        comp = _governing_noun(left, g=g)
        if comp is not None:
            limits.append(_Limit(q, comp, "noun"))
            continue
        if prev is not None and gap is not None and _list_gap(gap, lang):
            limits.append(_Limit(q, prev.comparator, "list"))
            continue
        label = _label_before(left)
        if label:
            nominal = _rx("nominal", lang).search(label) is not None
            limits.append(_Limit(q, "=" if nominal else (ctx.comparator or "<="), "label"))
            continue
        if ctx.comparator:
            limits.append(_Limit(q, ctx.comparator, "heading"))
    return limits, conds


_COPULA_END = re.compile(
    r"(?:\b(?:is|are|was|of|shall\s+be|should\s+be|must\s+be|will\be|be|at|to\s+be|equals?"
    r"|(?:reduced|increased|raised|lowered|set|fixed|limited)\s+(?:to|at))"
    r"|[:：—–=]|为|是|应为|应是|составляет|составляют|равн[аоы]?|равен|—)\s*$",
    re.IGNORECASE,
)


_ZH_INTRODUCER = re.compile(r"下列|以下|如下")
_ZH_CAUSE = re.compile(r"(?:因|由于|当|若)[^，,；;]*时$")


def _zh_label_subject(label: str) -> str:
    """The subject of a zh label before a list: "小型集中式供水和分散式供水因水源与净水技术受
    限时，下列指标可按以下限值执行" → 小型集中式供水和分散式供水 (the clause introducing the list
    and the circumstance "因…时" are not part of it)."""
    label = re.sub(r"^\s*[a-h]\s+(?=[\u4e00-\u9fff])", "", label)  # a note's letter ("b　小型…")
    parts = [p for p in re.split(r"[，,]", label) if p.strip()]
    keep = [p for p in parts if not _ZH_INTRODUCER.search(p)]
    if not keep or len(keep) == len(parts):
        return label
    out = "，".join(keep)
    m = _ZH_CAUSE.search(out)
    return out[: m.start()] if m and m.start() > 0 else out


def _noun_colon_scopes(s: str, lang: str) -> list[tuple[int, str]]:
    """Colons that a limit noun just before opens: "可按以下限值执行：菌落总数500 MPN/mL；氟化
    物1.2 mg/L", "the following limits apply: …" — the bare values with units in the list
    after it are limits of the noun's kind (not after "Toxicological guidance value:")."""
    out = []
    veto = _rx("non_indicator", lang)
    for c in re.finditer(r"[:：]", s):
        start = max((m.end() for m in _CLAUSE_DELIM.finditer(s, 0, c.start())), default=0)
        if veto.search(s[start : c.start()]):
            continue
        comp, m = limit_noun(s[start : c.start()])
        if comp is None or m is None or comp == "=":
            continue
        between = s[start + m.end() : c.start()]
        if len(between) <= 8 and not re.search(r"\d", between):
            out.append((c.end(), comp))
    return out


def _continued_limit(s: str, prev: _Limit | None, q: Quantity) -> str | None:
    """ "谷物中赭曲霉毒素A的限量为5.0 μg/kg；葡萄酒中为2.0 μg/kg": a stated value in the next
    part of a list of limits, in the same unit, is a limit of the same kind."""
    if prev is None or prev.comparator not in ("<=", "<", ">=", ">") or not q.unit:
        return None
    if q.unit != prev.q.unit or not re.search(r"[；;，,]", s[prev.q.end : q.start]):
        return None
    return prev.comparator


def _governing_noun(left: str, weak: bool = False, g: Glossary | None = None) -> str | None:
    """The comparator of a limit noun that governs the value right after ``left``: "the
    maximum level of lead in fish is 0,30", "限量：鱼类 0.5", "Допустимый уровень кадмия —
    0,03", "ML 0.03" — but not "The ML applies to 100 % cocoa powder"."""
    comp, m = limit_noun(left)
    if comp is None or m is None:
        return None
    if (
        g is not None
        and len(g)
        and any(
            mm.start <= m.start() < mm.end and g[mm.concept_id].kind != "food_category"
            for mm in g.find(left)
        )
    ):
        return None  # "iodine value", "acid value": a name, not a limit noun
    between = left[m.end() :]
    if not between.strip() or re.match(r"\s*[:：]", between) or _COPULA_END.search(between):
        return comp
    if weak and len(between.split()) <= 8 and not re.search(r"[.;:。；]", between):
        return comp  # "the parametric value for chromium shall be 50 µg/l"
    return None


@functools.lru_cache(maxsize=1)
def _extreme() -> re.Pattern[str]:
    le = lexicon.role_regex("bound_le").pattern
    ge = lexicon.role_regex("bound_ge").pattern
    return re.compile(rf"(?P<le>{le})|(?P<ge>{ge})", re.IGNORECASE)


def _extreme_word(left: str, g: Glossary | None = None) -> str | None:
    """ "最小壁厚为2.3 mm", "the minimum wall thickness shall be 2 mm": the name says which
    bound the stated value is — unless the word belongs to a term ("最大力总延伸率", total
    elongation at maximum force), as the glossary tells; a term that is itself a bound
    ("maximum allowable working pressure") still counts."""
    m = _last(_extreme(), left)
    if m is None:
        return None
    if g is not None and len(g):
        for mm in g.find(left):
            if mm.start <= m.start() < mm.end and g[mm.concept_id].kind != "food_category":
                en = g[mm.concept_id].name("en").lower()
                if not en.startswith(("maximum", "minimum", "max.", "min.")):
                    return None
    return "<=" if m.group("le") else ">="


def _pure_list(gap: str) -> bool:
    """Only list separators between two values ("89、92、95和98", "10, 20 and 30")."""
    return (
        re.fullmatch(r"\s*(?:[、,，/]|\band\b|\bor\b|和|及|或|\bи\b|\bили\b)\s*", gap) is not None
    )


def _list_gap(gap: str, lang: str) -> bool:
    """Names and separators between two values of one list ("，肉食性鱼类及其制品",
    ", chlorite ", " in fishery products in general and ")."""
    if len(gap) > 90 or re.search(r"\d", gap) or re.search(r"[.。!?！？]", gap):
        return False
    return not _rx("procedure", lang).search(gap)


def _label_before(left: str) -> str:
    """The label a value follows ("Lead:", "Свинец —", "甲基汞限量："), or ``""``."""
    stripped = left.rstrip()
    m = re.search(r"(?:[:：]|\s[—–-]|[—–])$", stripped)
    if m is None:
        return ""
    label = stripped[: m.start()].strip()
    return label if re.search(r"[A-Za-zА-Яа-яЁё\u4e00-\u9fff]", label) else ""


# --- what each limit limits ----------------------------------------------------------------------


@dataclass
class _Frame:
    parameter: str = ""
    product: str = ""
    basis: str = ""
    label_param: bool = False
    unit: str = ""


def _parse_sentence(
    s: str, lang: str, ctx: Context, g: Glossary, names_are_products: bool = False
) -> list[Indicator]:
    qs = scan(s, lang, ctx.decimal_comma)
    if not qs:
        return []
    limits, conds = _limits(s, lang, ctx, qs, g)
    if not limits:
        return []
    method = find_method(s) or ctx.method
    out: list[Indicator] = []
    frame = _Frame()
    if names_are_products and ctx.parameter:
        frame.parameter, frame.label_param = ctx.parameter, True
    bounds = _segments(s, limits)
    for i, lim in enumerate(limits):
        seg_start, tail_end = bounds[i]
        seg_start = _own_clause_start(s, seg_start, lim.q.start)
        segment = s[seg_start : lim.q.start]
        tail = s[lim.q.end : tail_end]
        seg_conds = [c for c in conds if seg_start <= c.start and c.end <= lim.q.start]
        tail_conds = [c for c in conds if lim.q.end <= c.start and c.end <= tail_end]
        condition = _condition_text(s, seg_conds + tail_conds, lang)
        extra = _condition_words(segment + " " + tail, lang)
        condition = (
            "，".join(x for x in (condition, extra) if x)
            if lang == "zh"
            else ", ".join(x for x in (condition, extra) if x)
        )
        condition = condition or ctx.condition
        segment = _blank(s, segment, seg_start, seg_conds)
        tail = _blank(s, tail, lim.q.end, tail_conds)
        param, product, basis, per = _names(segment, tail, lim, lang, frame, g, ctx)
        unit = (
            lim.q.unit
            or _unit_before(segment)
            or (ctx.unit if lim.how in ("heading", "label", "noun", "list") else "")
            or (frame.unit if lim.how in ("colon", "list") else "")
        )
        frame.unit = unit or frame.unit
        if lim.comparator == "not_detected" and lim.q.value is None:
            unit = ""
        if unit and is_ph(unit):
            unit = ""
            param = param or "pH"
        pid = g.lookup(param) if param and len(g) else None
        if pid is not None and g[pid].kind == "food_category":
            pid = None
        if not param and ctx.parameter:
            param, pid = ctx.parameter, ctx.parameter_id
        prod_id = g.lookup(product, kinds=("food_category",)) if product and len(g) else None
        if not product and ctx.product:
            product, prod_id = ctx.product, ctx.product_id
        out.append(
            Indicator(
                parameter=param,
                comparator=lim.comparator,
                value=lim.q.value,
                low=lim.q.low,
                high=lim.q.high,
                unit=unit,
                product=product,
                basis=basis or ctx.basis,
                clause_id=ctx.clause_id,
                page=ctx.page,
                text=s.strip(),
                method=method,
                parameter_id=pid,
                product_id=prod_id,
                table_id=ctx.table_id,
                condition=condition,
                per=per or lim.q.per or _per_of_unit(unit, lim.comparator),
            )
        )
    return _split_coordinated(out, g, lang)


def _own_clause_start(s: str, start: int, end: int) -> int:
    """Where the names of a limit start: after the last semicolon (outside brackets) before
    it, when a name follows that semicolon ("The value applies to each individual pesticide;
    for aldrin and dieldrin the value is 0,030 µg/l")."""
    depth = 0
    cut = None
    for j in range(start, end):
        ch = s[j]
        if ch in "(（[":
            depth += 1
        elif ch in ")）]":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in ";；":
            cut = j + 1
    if cut is None or not re.search(r"[A-Za-zА-Яа-яЁё\u4e00-\u9fff]{2,}", s[cut:end]):
        return start
    return cut


def _segments(s: str, limits: list[_Limit]) -> list[tuple[int, int]]:
    """For each limit, where its names start (after the previous limit's tail) and where its
    own tail ends (the first clause break after it, or the next limit)."""
    bounds = []
    start = 0
    for i, lim in enumerate(limits):
        nxt = limits[i + 1].q.start if i + 1 < len(limits) else len(s)
        tail_end = nxt
        if i + 1 < len(limits):
            depth = 0
            opened = re.search(r"[(（][^)）]*$", s[lim.q.end : nxt])
            if (
                opened
            ):  # "… 1000 мг/дм³ (по согласованию — до 1500 мг/дм³)": the bracket is the next's
                bounds.append((start, lim.q.end + opened.start()))
                start = lim.q.end + opened.start()
                continue
            for j in range(lim.q.end, nxt):
                ch = s[j]
                if ch in "(（[":
                    depth += 1
                elif ch in ")）]":
                    depth = max(0, depth - 1)
                elif depth == 0 and (
                    ch in ";；，、" or (ch == "," and not s[j + 1 : j + 2].isdigit())
                ):
                    tail_end = j
                    break
            else:
                m = re.search(r"\s(?:and|и|和|及)\s", s[lim.q.end : nxt])
                if m:
                    tail_end = lim.q.end + m.start()
        bounds.append((start, tail_end))
        start = tail_end
    return bounds


def _blank(s: str, part: str, offset: int, conds: Sequence[Quantity]) -> str:
    """``part`` with the condition values (and their marker words) blanked out."""
    spans = []
    for c in conds:
        a, b = c.start - offset, c.end - offset
        pre = part[:a]
        m = re.search(
            r"(?:\b(?:at|under|during|for|after|at a temperature of)|при|в течение|после|[在于距经])\s*[(（]?\s*$",
            pre,
            re.I,
        )
        if m:
            a = m.start()
        post = part[b:]
        m2 = re.match(r"\s*(?:[)）]|[下时处])", post)
        if m2:
            b += m2.end()
        if a > 0 and part[a - 1] in "(（" and b < len(part) + 1:
            a -= 1
        spans.append((max(a, 0), min(b, len(part))))
    return remove_spans(part, spans)


def _condition_text(s: str, conds: Sequence[Quantity], lang: str) -> str:
    parts = []
    for c in conds:
        pre = s[max(0, c.start - 30) : c.start]
        m = re.search(r"(?:\b(?:at|under|during|for|after)|при|в течение|после|距)\s*$", pre, re.I)
        txt = (m.group(0) if m else "") + c.text
        if lang == "zh" and s[c.end : c.end + 1] == "处":
            far = re.search(r"距[^，,。；;]{0,8}$", s[: c.start])
            txt = (far.group(0) if far else "") + c.text
        parts.append(re.sub(r"\s+", " ", txt).strip())
    return "，".join(parts) if lang == "zh" else ", ".join(parts)


_DATE_CONDITION = re.compile(
    r"\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:至|到|—|～|~|-)\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\b(?:until|till|before|after|from|by)\s+\d{1,2}\s+[A-Z][a-z]+\s+(?:19|20)\d{2}"
    r"(?:\s+to\s+\d{1,2}\s+[A-Z][a-z]+(?:\s+(?:19|20)\d{2})?)?"
    r"|\bfrom\s+\d{1,2}\s+[A-Z][a-z]+\s+to\s+\d{1,2}\s+[A-Z][a-z]+"
    r"|(?:\bс|\bдо|\bпо)\s+\d{1,2}\s+[а-я]+(?:\s+(?:19|20)\d{2}\s*г?\.?)?"
    r"(?:\s+по\s+\d{1,2}\s+[а-я]+(?:\s+(?:19|20)\d{2}\s*г?\.?)?)?"
)


def _condition_words(text: str, lang: str) -> str:
    """Dates and qualifiers that say when a limit applies ("11月1日至4月30日", "until 12
    January 2036", "夜间", "по согласованию")."""
    found = [m.group(0).strip() for m in _DATE_CONDITION.finditer(text)]
    found += [m.group(0).strip() for m in _rx("condition_word", lang).finditer(text)]
    return ("，" if lang == "zh" else ", ").join(dict.fromkeys(found))


def _per_of_unit(unit: str, comparator: str) -> str:
    """ "Not detected" in a count per quantity ("КОЕ/100 мл", "MPN/100mL"): the tested quantity."""
    if comparator != "not_detected" or not unit:
        return ""
    m = re.search(r"/\s*(\d+(?:[.,]\d+)?\s*[^\s/()（）或]+)", unit)
    return m.group(1) if m else ""


def _unit_before(segment: str) -> str:
    """A unit printed with the parameter name before the value ("КМАФАнМ, КОЕ/г, не более",
    "Массовая доля серы, мг/кг")."""
    found = ""
    for m in unit_pattern().finditer(segment):
        before = segment[: m.start()].rstrip()
        after = segment[m.end() :].lstrip()
        if before[-1:] in (",", "，", "/", "(", "（") and (not after or after[0] in ",，)）"):
            found = m.group(0)
    return found


_EN_TAIL_PARAM = re.compile(
    r"^\s*(?:[(（]\s*(?P<p>[^()（）\d]{2,40}?)\s*[)）]|(?P<q>[A-Za-z][A-Za-z0-9\- ]{1,40}?))"
    r"(?=\s*(?:[,;.:)]|$|\s(?:based|in|on|per|for|at|of|as|when|if|shall|must|is|are)\b))"
)
_TAIL_PRODUCT = {
    "en": re.compile(
        r"^\s*,?\s*(?:in|for)\s+(?P<p>[^;,.]+?(?:,\s*[^;,.]+?)*?)\s*(?:[;.]|$|,\s*(?:and|or)\b|\s+and\s*$)",
        re.I,
    ),
    "ru": re.compile(r"^\s*,?\s*(?:в|во|для)\s+(?P<p>(?!пересч)[^;,.()]+?)\s*(?:[;,.()]|$)", re.I),
    "zh": re.compile(r"^$a"),
}
_PLAN_WORDS = re.compile(
    r"[(（]?\s*(?<![A-Za-z])[nmcM]\s*=\s*[\d.,×x⁰¹²³⁴⁵⁶⁷⁸⁹^ \-]+(?:\s*(?:cfu|CFU|MPN|КОЕ)/\s*\w+)?\s*[)）]?[,，;；]?"
)
_APPLIES_TO = re.compile(r"\bappl(?:y|ies)\s+to\s+(?P<x>[^;.]+)", re.I)


def _names(
    segment: str,
    tail: str,
    lim: _Limit,
    lang: str,
    frame: _Frame,
    g: Glossary,
    ctx: Context,
) -> tuple[str, str, str, str]:
    """(parameter, product, basis, per) of one limit; ``frame`` carries names across the
    limits of one sentence."""
    per = ""
    pm = re.search(r"每\s*(\d+(?:\.\d+)?\s*(?:mL|ml|g|L|克|毫升))", segment)
    if pm:
        per = pm.group(1)
        segment = segment.replace(pm.group(0), " ")
    # basis phrases out of the way first
    basis = ""
    spans = []
    for span, b in basis_matches(segment, lang):
        if re.fullmatch(
            r"[\s,，;；、]*(?:(?:the|a|an|and|и|和)\s+)?", segment[: span[0]], re.I
        ) and (has_param(b, g) or not re.match(r"(?i:as|以|в\s+пересч|по)\b", b)):
            continue  # "Dry matter in … shall not exceed": the phrase is the parameter
        basis = basis or b
        spans.append(span)
    rest = remove_spans(segment, spans)
    if spans and not re.search(r"[A-Za-zА-Яа-яЁё\u4e00-\u9fff]{2,}", _strip_limit_nouns(rest, g)):
        basis = ""  # "Dry matter shall not exceed …": the phrase is the parameter itself
    else:
        segment = rest
    tail_basis = basis_matches(tail, lang)
    if tail_basis and not basis:
        basis = tail_basis[0][1]
    tail = remove_spans(tail, [sp for sp, _ in tail_basis])
    tail = method_pattern().sub(" ", tail)
    segment = method_pattern().sub(" ", segment)
    segment = remove_spans(
        segment, [sp for sp in reference_spans(segment) if not _is_grade(segment, sp)]
    )
    segment = _PLAN_WORDS.sub(" ", segment)
    segment = re.sub(r"^[\s,，;；、.]*(?:(?:and|or|и|или|а|和|及|以及)\s+)?", "", segment)
    if frame.parameter and _rx("choice", lang).search(segment):
        # "0,75 mA or 0,75 mA per kW, whichever is greater, with a maximum of 5 mA": the
        # cap is on the same parameter and product as the limits it follows
        return frame.parameter, frame.product, basis or frame.basis, per
    # label and body
    label, body = "", segment
    names = [(m.start, m.end) for m in g.find(segment)] if len(g) else []
    lm = None
    depth = strip_brackets_depth(segment)
    for m in _LABEL.finditer(segment):  # the last label mark outside brackets and names
        if depth[m.start()] == 0 and not any(a < m.end() and m.start() < b for a, b in names):
            lm = m
    if lm is not None and re.search(r"[A-Za-zА-Яа-яЁё\u4e00-\u9fff]", segment[: lm.start()]):
        label, body = segment[: lm.start()], segment[lm.end() :]
    body = _strip_limit_nouns(body, g)
    label = _strip_limit_nouns(label, g)
    if lang == "zh" and label:
        label = _zh_label_subject(label)
    b_param, b_product = split_chunk(body, lang, g)
    l_param, l_product = split_chunk(label, lang, g) if label else ("", "")
    if "contain" in lim.q.text.lower() and b_param and not b_product:
        b_param, b_product = "", b_param
    param, product = "", ""
    if label:
        label_is_product = is_food(label, g) and (has_param(body, g) or not l_param)
        if label_is_product or (not l_param and l_product):
            product = clean_name(l_product or label)
            param = b_param
            if not product and b_product:
                product = b_product
        else:
            param = l_param
            product = clean_name(
                " ".join(
                    x
                    for x in (l_product, b_param if not has_param(b_param, g) else "", b_product)
                    if x
                )
            )
            if has_param(b_param, g) and not has_param(l_param, g):
                param, product = (
                    b_param,
                    clean_name(l_param + (" " + b_product if b_product else "")),
                )
        frame.label_param = bool(param)
    else:
        param, product = b_param, b_product
        if param and is_generic(param, lang) and frame.parameter:
            param = frame.parameter
        elif frame.label_param and param and not has_param(param, g):
            # a list under a label: "冷滤点：0号…不高于4 ℃，-10号不高于-5 ℃"
            product, param = clean_name(" ".join(x for x in (param, product) if x)), ""
    # names printed after the value
    if lang == "zh" and not param and lim.comparator == "not_detected":
        tz = re.match(r"\s*([\u4e00-\u9fff][^，,。；;（(]{0,20})", tail)
        if tz:  # "生活饮用水中不得含有病原微生物"
            param = tz.group(1)
    if not product:
        tm = _TAIL_PRODUCT.get(lang, _TAIL_PRODUCT["zh"]).match(tail)
        if tm:
            product = tm.group("p")
    if lang == "en":
        am = _APPLIES_TO.search(tail)
        if am and not param:
            p2, pr2 = split_chunk(am.group("x"), lang, g)
            param, product = p2, product or pr2
        # "0,75 mA per kW rated power input": the words after a per-unit say what the kW
        # measures; they do not name the limit
        per_unit = re.search(r"\bper\s+\S+$", lim.q.unit or "")
        if (not param or is_food(param, g)) and not per_unit:
            tm2 = _EN_TAIL_PARAM.match(tail)
            if tm2:
                cand = (tm2.group("p") or tm2.group("q") or "").strip()
                if (
                    cand
                    and not re.match(
                        r"(?:in|for|at|of|and|or|the|a|an|shall|should|must|may|is|are|was|be"
                        r"|apply|applies|applicable|based|when|if|where|until|from)\b",
                        cand,
                        re.I,
                    )
                    and not re.search(r"\d", cand)
                ):
                    if param and not product:
                        product = param
                    param = cand
    param = clean_name(strip_fillers(_remove_units(param), lang))
    product = clean_name(re.sub(r"\s+in\s+general\b", "", product, flags=re.I))
    if not param and product and lang != "zh" and has_param(product, g) and not is_food(product, g):
        # "for aldrin and dieldrin the parametric value is 0,030 µg/l": what the value is
        # for are substances, not a product
        param = clean_name(re.sub(r"\s+(?:the|a|an)$", "", product, flags=re.I))
        product = ""
    if param and is_generic(param, lang) and frame.parameter:
        param = frame.parameter
    if not param:
        param = frame.parameter
        if not basis:
            basis = frame.basis
    elif param != frame.parameter and not product and frame.product and not label:
        product = frame.product
    if not product and param == frame.parameter:
        product = frame.product if not frame.label_param else product
    if not param and ctx.parameter:
        param = ctx.parameter
    frame.parameter, frame.product = param, product or frame.product
    frame.basis = basis or frame.basis
    return param, product, basis, per


def _remove_units(name: str) -> str:
    from .rows import _remove_units as remove

    return remove(name, separated_only=True)


def _is_grade(text: str, span: tuple[int, int]) -> bool:
    """A grade or class name (89号, АИ-95, HRB400, К5) is part of a product name."""
    t = text[span[0] : span[1]]
    return bool(re.search(r"\d\s*号|[A-Za-zА-Яа-я][-‑]?\d", t)) and not re.match(
        r"\s*(?:Note|NOTE|Table|Annex|Article|Section|Part|Примечание|Таблица|注|表|附录|[nc]\s*=)",
        t,
    )


def _strip_limit_nouns(text: str, g: Glossary | None = None) -> str:
    """The name without limit nouns ("The maximum level of lead" → "lead"), except where the
    noun is part of a glossary name ("acid value", "saponification value")."""
    s = text
    for _ in range(3):
        _, m = limit_noun(s)
        if m is None:
            break
        if (
            g is not None
            and len(g)
            and any(
                mm.start < m.end()
                and m.start() < mm.end
                and g[mm.concept_id].kind != "food_category"
                for mm in g.find(s)
            )
        ):
            break
        rest = s[m.end() :]
        rest = re.sub(r"^\s*(?:\(\s*[A-Z]{2,4}\s*\))?\s*(?:of|for)\b", " ", rest, flags=re.I)
        s = s[: m.start()] + " " + rest
    s = re.sub(r"\b(?:is|are|shall\s+be|of|for|applies)\s*$", "", s.strip(), flags=re.I)
    return s.strip(" ,，:：")


def _split_coordinated(out: list[Indicator], g: Glossary, lang: str) -> list[Indicator]:
    """ "Железо и марганец — отсутствие", "致病菌（沙门氏菌、金黄色葡萄球菌）不应检出": one
    limit per parameter named, when the glossary knows each of them."""
    if not len(g):
        return out
    res: list[Indicator] = []
    for ind in out:
        ms = [m for m in g.find(ind.parameter) if g[m.concept_id].kind != "food_category"]
        ids = list(dict.fromkeys(m.concept_id for m in ms))
        if len(ids) < 2 or (g.lookup(ind.parameter) not in (None, *ids[:1]) and len(ms) < 2):
            res.append(ind)
            continue
        ordered = sorted(ms, key=lambda m: m.start)
        gaps = [ind.parameter[a.end : b.start] for a, b in itertools.pairwise(ordered)]
        joined = all(
            re.fullmatch(
                r"\s*(?:[,，、;；]|\band\b|\bor\b|\bи\b|\bили\b|和|及|以及|或)\s*[(（]?\s*", gp
            )
            or re.fullmatch(r"\s*[(（]\s*", gp)
            for gp in gaps
        )
        outside = ind.parameter[: ordered[0].start] + ind.parameter[ordered[-1].end :]
        if not joined or (
            re.search(r"\w{3,}", re.sub(r"[()（）]", "", outside).strip())
            and not re.fullmatch(r"[^()（）]*[(（].*", ind.parameter)
        ):
            res.append(ind)
            continue
        seen = set()
        for m in ms:
            if m.concept_id in seen:
                continue
            seen.add(m.concept_id)
            res.append(replace(ind, parameter=m.text, parameter_id=m.concept_id))
    return res


# --- table rows (see rows.py) ----------------------------------------------------------------


def parse_row(
    header: Sequence[str],
    cells: Sequence[str],
    lang: str | None = None,
    *,
    context: Context | None = None,
    glossary: Glossary | None = None,
    roles: Sequence[str] | None = None,
    spans: Sequence[int] = (),
) -> list[Indicator]:
    """Indicators of one table row; ``header`` gives each column's meaning and unit (see
    :func:`stdcompare.indicators.rows.parse_row`)."""
    from .rows import parse_row as _parse_row

    return _parse_row(
        header, cells, lang, context=context, glossary=glossary, roles=roles, spans=spans
    )


def with_context(ind: Indicator, **changes: object) -> Indicator:
    return replace(ind, **changes)  # type: ignore[arg-type]
