"""What surrounds a sentence or a table row: heading, caption, notes, and what they imply."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import lexicon
from .glossary import Glossary
from .names import _ZH_ZHONG, clean_name, find_basis, strip_fillers
from .units import is_ph, unit_pattern


@dataclass(frozen=True)
class Context:
    """The surroundings of a sentence or a table row.

    ``heading`` (the clause heading), ``caption`` (the table caption) and ``notes`` (a table
    footnote) are printed text; the other fields are what they imply — or what a caller knows
    already — and are filled from that text by :func:`resolve` where empty: the parameter named
    by the heading or caption, the comparator a heading such as "Допустимые уровни, не более"
    gives to bare numbers, a unit printed in the caption ("Maximum levels (µg/kg)"), a basis.
    """

    lang: str | None = None
    parameter: str = ""
    parameter_id: str | None = None
    product: str = ""
    product_id: str | None = None
    unit: str = ""
    comparator: str | None = None
    basis: str = ""
    method: str = ""
    clause_id: str | None = None
    page: int | None = None
    table_id: str | None = None
    decimal_comma: bool | None = None
    heading: str = ""
    caption: str = ""
    notes: str = ""
    condition: str = ""


_NUMBERING = re.compile(
    r"^\s*(?:(?:表|图|Table|Figure|Таблица|Рисунок)\s*[A-ZА-Я]?[\d.]*\s*[—–:.-]?\s*"
    r"|(?:Section|Chapter|Part|Раздел|Глава|Часть|附录)\s*[A-ZА-Я\d.]*\s*[—–:.-]?\s*"
    r"|[A-ZА-Я]?\d+(?:\.\d+)*\.?\s+|[一二三四五六七八九十]+、\s*)"
)
_ZH_CAPTION_PARAM = re.compile(r"中(?P<p>[^中，,]{1,20}?)(?:的)?(?:限量|最大|含量|指标|残留)")


def heading_name(text: str) -> str:
    """A heading or caption without its number ("4.1 铅" → "铅", "Table 2 — X" → "X")."""
    s = _NUMBERING.sub("", text or "", count=1)
    return clean_name(s)


def unit_in_heading(text: str) -> str:
    found = unit_span_in_heading(text)
    return found[2] if found else ""


def unit_span_in_heading(text: str) -> tuple[int, int, str] | None:
    """A unit printed in a heading or caption: after "/" (the GB "name/unit" style), in
    brackets, after a comma, or after the name ("限量/(mg/kg)", "断后伸长率 A/%",
    "Maximum levels (mg/kg wet weight)", "Допустимые уровни, мг/кг, не более", "Уровень звука,
    дБА", "限量（以Pb计）mg/kg")."""
    if not text:
        return None
    best: tuple[int, int, int, str] | None = None
    for m in unit_pattern().finditer(text):
        unit = m.group(0)
        before = text[: m.start()].rstrip()
        after = text[m.end() :].lstrip()
        if after[:1] == "/" and re.match(r"/\s*[(（]?\s*\S", after):
            continue  # "ReL/MPa": a symbol before the unit
        if before.endswith("/") or re.search(r"/\s*[(（]$", before):
            rank = 0
        elif before.endswith(("(", "（", "[")):
            rank = 1
        elif before.endswith((",", "，", ":", "：", ";")):
            rank = 2
        elif re.search(r"[\u4e00-\u9fff)）]$", before) or re.search(r"\b(?:in|ML)$", before):
            rank = 3
        elif not before:
            rank = 4
        elif re.match(r"(?:в|in|per)\s+\d", unit):
            rank = 3  # "Соматические клетки в 1 см³"
        else:
            continue
        if len(unit) == 1 and unit.isalpha() and rank > 2:
            continue  # a lone letter after a word is not a unit
        tail_ok = (
            not after
            or after[0] in ",，)）];；/:"
            or re.match(r"(?:wet|dry|fresh|не\s|as\s|[\u4e00-\u9fff]|\d|[A-Za-zА-Яа-я])", after)
        )
        if tail_ok and (best is None or rank < best[0]):
            best = (rank, m.start(), m.end(), unit)
    if best is None:
        return None
    return best[1], best[2], "" if is_ph(best[3]) else best[3]


def resolve(ctx: Context, g: Glossary | None, lang: str) -> Context:
    """Fill the empty fields of ``ctx`` from its heading, caption and notes."""
    texts = [t for t in (ctx.caption, ctx.heading) if t]
    if not texts:
        return ctx
    changes: dict[str, object] = {}
    if ctx.comparator is None:
        for t in texts:
            comp = lexicon.column_comparator(heading_name(t))
            if comp:
                changes["comparator"] = comp
                break
    if not ctx.unit and ctx.caption:
        u = unit_in_heading(ctx.caption)
        if u:
            changes["unit"] = u
    if not ctx.basis:
        for t in texts:
            b = find_basis(t, lang)
            if b:
                changes["basis"] = b
                break
    if not ctx.parameter:
        name, pid = heading_parameter(texts, g, lang)
        if name:
            changes["parameter"] = name
            changes["parameter_id"] = pid
    if not ctx.product:
        # the caption before the heading: a glossary food, else the product a specification
        # caption names ("车用柴油（Ⅵ）技术要求…", "农村小型集中式供水和分散式供水部分水质指标及限值")
        for t in texts:
            found = g.find(t) if g is not None and len(g) else []
            foods = [m for m in found if g is not None and g[m.concept_id].kind == "food_category"]
            params = [m for m in found if g is not None and g[m.concept_id].kind != "food_category"]
            if foods and not params:
                changes["product"] = foods[0].text
                changes["product_id"] = foods[0].concept_id
                break
            spec = spec_product(t, g, lang)
            if spec:
                changes["product"] = spec
                break
    return replace(ctx, **changes) if changes else ctx  # type: ignore[arg-type]


def spec_product(caption: str, g: Glossary | None, lang: str) -> str:
    """The product a specification table is captioned or headed with ("表3 车用柴油（Ⅵ）技术
    要求和试验方法" → 车用柴油（Ⅵ）, "Table 2 — Requirements for diesel fuel" → diesel fuel,
    "Требования к характеристикам дизельного топлива" → дизельного топлива); "" when the
    caption says something else or names a parameter there."""
    name = heading_name(caption)
    rx = lexicon.role_regex("spec_title", lang)
    product = ""
    if lang == "zh":
        m = re.search(rf"(?:的)?(?:{rx.pattern})$", name, re.IGNORECASE)
        if m and m.start() > 0:
            product = name[: m.start()]
    else:
        m = re.match(rf"(?:{rx.pattern})\s+", name, re.IGNORECASE)
        if m:
            product = name[m.end() :]
    if lang == "zh":
        # "纺织产品基本安全技术要求": what the requirements are about is not the product
        product = re.sub(
            r"(?:水质|常规|扩展|非常规|部分|主要|其他|基本安全|安全|卫生)+$", "", product
        )
    product = clean_name(product)
    if (
        not product
        or len(product) > 40
        or re.search(r"[，,;；]", product)
        or _ZH_ZHONG.search(product)
    ):
        return ""
    if (
        g is not None
        and len(g)
        and any(g[m.concept_id].kind != "food_category" for m in g.find(product))
    ):
        return ""
    return product


def heading_parameter(texts: list[str], g: Glossary | None, lang: str) -> tuple[str, str | None]:
    """The parameter a caption or heading names: a glossary concept, or the zh caption form
    "食品中X限量", or — for a short heading without a limit word — the heading itself."""
    for t in texts:
        if g is not None and len(g):
            params = [m for m in g.find(t) if g[m.concept_id].kind != "food_category"]
            if params:
                best = max(params, key=lambda m: m.end - m.start)
                return best.text, best.concept_id
        m = _ZH_CAPTION_PARAM.search(t)
        if m:
            name = strip_fillers(m.group("p"), "zh")
            pid = g.lookup(name) if g is not None and len(g) else None
            return name, pid
    return "", None


def heading_as_parameter(text: str, g: Glossary | None, lang: str) -> tuple[str, str | None]:
    """A short clause heading used as the parameter of the rows beneath it ("LEAD",
    "3.1 Lead", "苯甲酸及其钠盐"), unless it names a food or a limit."""
    name = heading_name(text)
    if not name or len(name) > 60 or re.search(r"\d{2,}", re.sub(r"\([^)]*\)", "", name)):
        return "", None
    if lexicon.is_limit_heading(name):
        return "", None
    if g is not None and len(g):
        ms = g.find(name)
        if any(g[m.concept_id].kind == "food_category" for m in ms) and not any(
            g[m.concept_id].kind != "food_category" for m in ms
        ):
            return "", None
        pid = g.lookup(name)
        if pid is not None and g[pid].kind == "food_category":
            return "", None
        return name, pid
    return name, None
