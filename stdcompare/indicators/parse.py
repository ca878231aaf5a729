"""The indicator grammar: comparators, numbers, ranges and units in zh, en and ru text.

``find_quantities`` finds limit expressions (``不得超过0.5 mg/kg``, ``≥ 6,5 and ≤ 9,5``,
``не более 10 мг/кг``, ``not detected``); ``parse_text`` and ``parse_row`` turn sentences and
table rows into :class:`~stdcompare.model.Indicator` records, taking the parameter, product,
basis, unit and comparator from the context (heading, caption, column headers) when the text
itself does not say.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..model import Indicator
from ..textutil import detect_language
from . import lexicon
from .glossary import Glossary, Mention, default_glossary
from .numbers import BOUNDARY, NUM, NUM_RE, parse_number, value_of
from .units import unit_pattern

# --- references that contain numbers but are never limits -----------------------------------

_REFERENCE = re.compile(
    r"(?:GB(?:/[TZ])?|[A-Z]{2,3}/T|SN|NY|HJ|JJF|JJG|WS|ISO(?:/IEC|/TS|/TR)?|IEC|EN|ASTM\s*[A-Z]?|"
    r"AOAC|CXS|CXG|CXC|CAC/GL|CODEX\s+STAN|DIN|BS|JIS|OIML\s*R|ГОСТ(?:\s*Р)?(?:\s*(?:ISO|ИСО|EN|МЭК))?"
    r"|СанПиН|ТР\s*(?:ТС|ЕАЭС)|ПНД\s*Ф|МУК|РД|СТ\s*РК|O'z\s*DSt|Regulation\s*\((?:EU|EC|EEC)\)"
    r"|Directive\s*\((?:EU|EC|EEC)\)|Decision|(?:No|Nr|№)\.?)"
    r"\s*(?:No\.?\s*)?\d[\d.]*(?:\s*[-—–:/]\s*\d+)*(?:\.\d+)*"
    r"|\b(?:表|图|Table|Figure|Fig\.|Таблица|Рисунок|Annex|ANNEX|Appendix|附录|Приложени[ея]|"
    r"Article|Статья|Section|clause|Clause|subclause|пункт|п\.|пп\.|раздел|条|Part|Note|NOTE|Примечание)"
    r"\s*[A-ZА-Я]?\.?\d+(?:\.\d+)*(?:\s*[a-z]\))?"
    r"|\d+(?:\.\d+)+\s*(?:条|款|节)"
    r"|\bINS\s*(?:No\.?\s*)?\d+[a-z]?(?:\([ivx]+\))?|\bE\s?\d{3,4}[a-z]?\b|CNS\s*\d+\.\d+"
    r"|(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|(?:19|20)\d{2}\s*年"
    r"|\b\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+(?:19|20)\d{2}|\b(?:in|since|from|until|before|after|by|of)\s+(?:19|20)\d{2}\b"
    r"|\(\s*\d{1,2}\s*\)|\[\s*\d{1,3}\s*\]|第[一二三四五六七八九十\d]+[章节条款]"
    r"|\bCAS\s*(?:No\.?)?\s*\d+-\d+-\d"
    r"|\b(?:n|c|m|M)\s*=\s*\d+(?:[.,]\d+)?",  # sampling-plan parameters
    re.UNICODE,
)
METHOD_RE = re.compile(
    r"(?:GB(?:/T)?\s*\d{4,5}(?:\.\d+)*|[A-Z]{2}/T\s*\d{3,5}(?:\.\d+)*|ISO\s*\d{3,5}(?:-\d+)*"
    r"|EN\s*(?:ISO\s*)?\d{3,5}(?:-\d+)*|ASTM\s*[A-Z]\s*\d{2,5}|AOAC\s*\d{3}\.\d{2}"
    r"|ГОСТ(?:\s*Р)?(?:\s*(?:ISO|ИСО|EN))?\s*\d{3,5}(?:\.\d+)*|ПНД\s*Ф\s*[\d.]+)"
    r"(?:\s*[-—–:]\s*\d{2,4})?"
)

_LE = r"(?:≤|⩽|<=|不大于|不超过|不得超过|不高于|not\s+more\s+than|max\.?|maximum|не\s+более|не\s+выше)"
_GE = r"(?:≥|⩾|>=|不小于|不低于|not\s+less\s+than|min\.?|minimum|at\s+least|не\s+менее|не\s+ниже)"
_JOIN = r"\s*(?:且|并且|和|及|,|，|;|；|and|и|but|—|–)?\s*"
_DASH = r"\s*(?:～|~|〜|—|–|-|至|到|to|по)\s*"


def _unit_opt(name: str) -> str:
    return rf"(?:\s*(?P<{name}>{unit_pattern().pattern}))?"


@dataclass(frozen=True)
class Quantity:
    """A limit expression found in text; ``start``/``end`` are character offsets."""

    start: int
    end: int
    comparator: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    text: str = ""


def _masked(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _REFERENCE.finditer(text)]


def _inside(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    s, e = span
    return any(s < me and e > ms for ms, me in spans)


def _num(s: str, lang: str, decimal_comma: bool | None) -> float:
    return parse_number(s, lang, decimal_comma)


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
    the heading says 限量 / Maximum level / не более) pass the comparator it implies.
    """
    lang = lang or detect_language(text)
    masked = _masked(text)
    taken: list[tuple[int, int]] = list(masked)
    out: list[Quantity] = []

    def add(q: Quantity) -> None:
        out.append(q)
        taken.append((q.start, q.end))

    for rx, kind in _range_patterns():
        for m in rx.finditer(text):
            if _inside(m.span(), taken):
                continue
            q = _range_quantity(m, kind, lang, decimal_comma, default_unit)
            if q is not None:
                add(q)

    nd_pat, _ = lexicon.compiled("none")
    for m in nd_pat.finditer(text):
        if _inside(m.span(), taken):
            continue
        add(_not_detected(text, m, lang, decimal_comma, default_unit))

    before_pat, _ = lexicon.compiled("before", strong_only=False)
    after_pat, _ = lexicon.compiled("after")
    upat = unit_pattern()
    for m in NUM_RE.finditer(text):
        span = m.span()
        if _inside(span, taken):
            continue
        value = value_of(m, lang, decimal_comma)
        start, end = span
        comp = None
        # comparator phrase just before the number ("不得超过 0.5", "shall not exceed 0.5")
        left = text[max(0, start - 40) : start]
        lm = _ends_with(before_pat, left)
        if lm is not None:
            phrase = lm.group(0)
            weak = phrase.strip() in ("为", "до")
            comp = lexicon.comparator_of(phrase, "before")
            if weak and not upat.match(text, _skip_space(text, end)):
                comp = None
            if comp is not None:
                start = start - (len(left) - lm.start())
        unit = ""
        um = upat.match(text, _skip_space(text, end))
        if um and not _glued_word(text, um.end()):
            unit = um.group(0)
            end = um.end()
        am = after_pat.match(text, _skip_space(text, end))
        if am is not None and comp is None:
            comp = lexicon.comparator_of(am.group(0), "after")
            end = am.end()
        if comp is None:
            comp = default_comparator
        if comp is None:
            continue
        if not unit and default_unit:
            unit = default_unit
        if comp == "not_detected":
            add(Quantity(start, end, comp, value=value, unit=unit, text=text[start:end]))
        else:
            add(Quantity(start, end, comp, value=value, unit=unit, text=text[start:end]))
    out.sort(key=lambda q: q.start)
    return out


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \u00a0":
        pos += 1
    return pos


def _glued_word(text: str, pos: int) -> bool:
    return pos < len(text) and text[pos].isalpha() and text[pos].isascii()


def _ends_with(pattern: re.Pattern[str], left: str) -> re.Match[str] | None:
    """The phrase that ends ``left`` (ignoring spaces, a colon or "of"/"is"), if any."""
    stripped = re.sub(r"(?:\s|[:：]|\bof\b|\bis\b|\bbe\b|\bat\b|для|—)*$", "", left)
    best = None
    for m in pattern.finditer(stripped):
        if m.end() == len(stripped):
            best = m
    return best


@functools.lru_cache(maxsize=1)
def _range_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    u1, u2 = _unit_opt("u1"), _unit_opt("u2")
    n1, n2 = rf"(?P<n1>{NUM})", rf"(?P<n2>{NUM})"
    flags = re.IGNORECASE
    return (
        (re.compile(rf"{_GE}\s*{n1}{u1}{_JOIN}{_LE}\s*{n2}{u2}", flags), "ge_le"),
        (re.compile(rf"{_LE}\s*{n2}{u2}{_JOIN}{_GE}\s*{n1}{u1}", flags), "ge_le"),
        (
            re.compile(
                rf"(?:\bот|\bfrom|\bbetween|\bв\s+пределах(?:\s+от)?|在)\s*{n1}{u1}"
                rf"\s*(?:до|to|and|и|-|–|—|～|~|至|到)\s*{n2}{u2}(?:\s*之间|\s*范围内)?",
                flags,
            ),
            "between",
        ),
        (re.compile(BOUNDARY + rf"{n1}{u1}\s*(?:±|\+/-|\+-)\s*{n2}{u2}", flags), "tolerance"),
        (re.compile(BOUNDARY + rf"{n1}{u1}{_DASH}{n2}{u2}", flags), "dash"),
    )


def _range_quantity(
    m: re.Match[str], kind: str, lang: str, decimal_comma: bool | None, default_unit: str
) -> Quantity | None:
    try:
        a = _num(m.group("n1"), lang, decimal_comma)
        b = _num(m.group("n2"), lang, decimal_comma)
    except ValueError:
        return None
    unit = m.group("u2") or m.group("u1") or default_unit
    if kind == "tolerance":
        return Quantity(
            m.start(), m.end(), "range", value=a, low=a - b, high=a + b, unit=unit, text=m.group(0)
        )
    if kind == "dash":
        # "6.5-8.5" is a range; "2-3" list items or negative numbers are not
        raw = m.group(0)
        if (
            "-" in raw
            and not re.search(r"[～~〜—–至到]|\bto\b", raw)
            and not (m.group("u1") or m.group("u2") or re.search(r"[.,]", raw))
        ):
            return None
        if a >= b:
            return None
    if a > b:
        a, b = b, a
    return Quantity(m.start(), m.end(), "range", low=a, high=b, unit=unit, text=m.group(0))


_LOD = re.compile(
    rf"\s*[(（]?\s*(?:<|＜|检出限|LOD|limit of detection|предел обнаружения)?\s*[:：]?\s*"
    rf"(?P<n>{NUM})\s*(?P<u>{{unit}})?\s*[)）]?"
)
_SAMPLE = re.compile(
    r"\s*(?:in|per|в|во|на|/)\s*\d+(?:[.,]\d+)?\s*(?:g|г|mL|ml|мл|cm³|см³|см3|kg|кг|L|л|дм³)\b",
    re.IGNORECASE,
)


def _not_detected(
    text: str, m: re.Match[str], lang: str, decimal_comma: bool | None, default_unit: str
) -> Quantity:
    end = m.end()
    sm = _SAMPLE.match(text, end)
    if sm:
        end = sm.end()
    value, unit = None, ""
    lod = re.compile(_LOD.pattern.replace("{unit}", unit_pattern().pattern)).match(text, end)
    if lod and re.search(r"[<＜(（]|检出限|LOD|limit|предел", lod.group(0)):
        try:
            value = _num(lod.group("n"), lang, decimal_comma)
            unit = lod.group("u") or default_unit
            end = lod.end()
        except ValueError:
            value = None
    return Quantity(
        m.start(), end, "not_detected", value=value, unit=unit, text=text[m.start() : end]
    )


# --- context and records ---------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What surrounds a sentence or row: heading, caption, and column-implied meaning."""

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


_BASIS = re.compile(
    r"以\s*(?P<zh>[A-Za-z0-9₀-₉()（）\u4e00-\u9fff+\-]{1,20}?)\s*计"
    r"|\b(?:expressed\s+)?as\s+(?P<en>(?:[A-Z][A-Za-z0-9₀-₉()\-]*|total\s+\w+|benzoic acid|sorbic acid|"
    r"sulphur dioxide|sulfur dioxide|nitrogen|N|NO3|NO2|CaCO3|O2|P2O5|Pb|As|Hg|Cd|Sn)"
    r"(?:\s+(?:acid|dioxide|ion))?)"
    r"|(?P<fix>dry\s+(?:weight|matter|mass)|wet\s+weight|fresh\s+weight|fat\s+basis|on\s+a\s+fat\s+basis|"
    r"lipid\s+weight|whole\s+weight|干重|鲜重|湿重|以脂肪计|以干物质计|сухое\s+вещество|сухого\s+вещества)"
    r"|в\s+пересч[её]те\s+на\s+(?P<ru>[\w()₀-₉ ]{1,30}?)(?=[,;.)]|$|\s{2})",
    re.IGNORECASE,
)


def find_basis(text: str) -> str:
    """The basis a limit is expressed on (``以Pb计``, ``as NO3``, ``dry weight`` …), as printed."""
    m = _BASIS.search(text)
    return re.sub(r"\s+", " ", m.group(0).strip()) if m else ""


def find_method(text: str) -> str:
    m = METHOD_RE.search(text)
    return re.sub(r"\s+", " ", m.group(0)).strip() if m else ""


_SENTENCE_SPLIT = re.compile(r"(?<=[。；;！？!?])|(?<=[.])\s+(?=[A-ZА-Я(（])|\n")
_NON_PARAM_KINDS = None  # all kinds but food categories


def _param_kinds(g: Glossary) -> set[str]:
    return {c.kind for c in g.concepts.values() if c.kind != "food_category"}


def parse_text(
    text: str,
    lang: str | None = None,
    *,
    context: Context | None = None,
    glossary: Glossary | None = None,
) -> list[Indicator]:
    """Indicators stated in a passage of text (one or more sentences)."""
    ctx = context or Context()
    g = glossary if glossary is not None else default_glossary()
    lang = lang or ctx.lang or detect_language(text)
    out: list[Indicator] = []
    for sentence in _sentences(text):
        out.extend(_parse_sentence(sentence, lang, ctx, g))
    return out


def _sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE_SPLIT.split(text)]
    return [p for p in parts if p]


def _parse_sentence(sentence: str, lang: str, ctx: Context, g: Glossary) -> list[Indicator]:
    qs = find_quantities(
        sentence,
        lang,
        default_comparator=ctx.comparator,
        default_unit=ctx.unit,
        decimal_comma=ctx.decimal_comma,
    )
    if not qs:
        return []
    mentions = g.find(sentence) if len(g) else []
    params = [mm for mm in mentions if g[mm.concept_id].kind != "food_category"]
    foods = [mm for mm in mentions if g[mm.concept_id].kind == "food_category"]
    out: list[Indicator] = []
    prev_end = 0
    prev: tuple[str, str | None] | None = None
    upat = unit_pattern()
    parameter: str
    pid: str | None
    for q in qs:
        gap = sentence[prev_end : q.start]
        fresh = [mm for mm in params if prev_end <= mm.start and mm.end <= q.start]
        if fresh:
            parameter, pid = fresh[-1].text, fresh[-1].concept_id
        elif prev is not None and _continues(gap, foods, prev_end, q.start):
            parameter, pid = prev
        elif (ctx.parameter and not out) or (
            ctx.parameter and _continues(gap, foods, prev_end, q.start)
        ):
            parameter, pid = ctx.parameter, ctx.parameter_id
        else:
            prev_end = q.end
            continue
        unit = q.unit
        if not unit:  # a unit printed before the value: "Массовая доля серы, мг/кг, не более 10"
            spans = [(mm.start, mm.end) for mm in mentions]
            um = [
                u
                for u in upat.finditer(sentence, prev_end, q.start)
                if not _inside(u.span(), spans)
            ]
            unit = um[-1].group(0) if um else ""
        fm = [mm for mm in foods if mm.end <= q.start] or foods
        product, prod_id = (fm[-1].text, fm[-1].concept_id) if fm else (ctx.product, ctx.product_id)
        basis = find_basis(sentence[prev_end : q.end + 40]) or ctx.basis
        out.append(
            Indicator(
                parameter=parameter,
                comparator=q.comparator,
                value=q.value,
                low=q.low,
                high=q.high,
                unit=unit,
                product=product,
                basis=basis,
                clause_id=ctx.clause_id,
                page=ctx.page,
                text=sentence.strip(),
                method=find_method(sentence) or ctx.method,
                parameter_id=pid,
                product_id=prod_id,
                table_id=ctx.table_id,
            )
        )
        prev = (parameter, pid)
        prev_end = q.end
    return out


def _continues(gap: str, foods: Sequence[Mention], start: int, end: int) -> bool:
    """Whether the text between two limits keeps the same parameter: only separators, or
    product names ("0.1 mg/kg for cereals, 0.2 mg/kg for pulses")."""
    rest = gap
    for mm in sorted(foods, key=lambda m: m.start, reverse=True):
        if start <= mm.start and mm.end <= end:
            rest = rest[: mm.start - start] + rest[mm.end - start :]
    rest = re.sub(
        r"\b(?:for|in|of|and|or|и|в|для|для\s+\w+)\b|[\s,，;；:：、()（）和及或]", "", rest
    )
    return not rest


# --- table rows ----------------------------------------------------------------------------------

_ROLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(rx, re.IGNORECASE))
    for role, rx in (
        ("method", r"试验方法|检验方法|测定方法|检测方法|分析方法|method|метод"),
        ("notes", r"备注|注|notes?|remarks?|comments?|примечани|footnote"),
        ("portion", r"portion|部位|part of the commodity"),
        ("unit", r"^\s*(?:单位|units?|единиц[аы]\s+измерения|ед\.\s*изм\.?)\s*$|^unit"),
        (
            "code",
            r"^\s*(?:序号|编号|No\.?|№|п/п|食品分类号|分类号|CNS|INS(?:\s*No\.?)?|E-?number|code|код)\s*$",
        ),
        (
            "product",
            r"食品类别|食品名称|食品|类别|产品|product|commodit|foodstuff|food|category|"
            r"продук|изделия|группа|вид\s+продукц|наименование\s+продукции",
        ),
        (
            "parameter",
            r"指标名称|项目|指标|parameter|substance|contaminant|characteristic|property|"
            r"показател|характеристик|наименование\s+показател|вещество|элемент",
        ),
    )
)


def column_roles(header: Sequence[str], rows: Sequence[Sequence[str]] = ()) -> list[str]:
    """Role of each column: product, parameter, limit, unit, method, notes, code, portion,
    comparator or other — from the heading, then from the cells beneath it."""
    roles = []
    for i, h in enumerate(header):
        role = "other"
        if lexicon.column_comparator(h) or unit_pattern().search(h):
            role = "limit"
        for name, rx in _ROLE_PATTERNS:
            if rx.search(h):
                role = name if not (role == "limit" and name in ("product", "parameter")) else role
                break
        col = [r[i] for r in rows if i < len(r) and r[i].strip()]
        if col and all(_is_comparator_cell(c) for c in col):
            role = "comparator"
        elif role in ("other", "limit") and col and _numeric_share(col) >= 0.5:
            role = "limit"
        roles.append(role)
    if "product" not in roles and "parameter" not in roles:
        for i, r in enumerate(roles):
            if r == "other":
                roles[i] = "label"
                break
    return roles


def _is_comparator_cell(cell: str) -> bool:
    c = cell.strip()
    if not c:
        return False
    pat, _ = lexicon.compiled("before")
    m = pat.fullmatch(c)
    return m is not None


def _numeric_share(cells: Sequence[str]) -> float:
    n = sum(1 for c in cells if NUM_RE.search(c) or lexicon.compiled("none")[0].search(c))
    return n / max(len(cells), 1)


_FOOTNOTE_MARK = re.compile(r"(?<=\d)\s*(?:[a-z]|[ᵃᵇᶜᵈ]|\*{1,3}|\(\d\))$")
_NOTE_UNIT = re.compile(
    r"(?:expressed\s+(?:in|as)|以|выражен\w*\s+в)\s*(?P<u>{unit})", re.IGNORECASE
)


def parse_row(
    header: Sequence[str],
    cells: Sequence[str],
    lang: str | None = None,
    *,
    context: Context | None = None,
    glossary: Glossary | None = None,
    roles: Sequence[str] | None = None,
) -> list[Indicator]:
    """Indicators of one table row; ``header`` gives each column's meaning and unit."""
    ctx = context or Context()
    g = glossary if glossary is not None else default_glossary()
    cells = [c or "" for c in cells]
    header = list(header) + [""] * (len(cells) - len(header))
    filled = [c for c in cells if c.strip()]
    if len(filled) <= 1 and not any(NUM_RE.search(c) for c in filled):
        return []  # a group label row ("一、微生物指标")
    lang = lang or ctx.lang or detect_language(" ".join(header) + " " + " ".join(cells))
    roles = list(roles) if roles is not None else column_roles(header, [cells])
    get = {r: cells[i] for i, r in reversed(list(enumerate(roles))) if i < len(cells)}

    param_cell = get.get("parameter", "") or get.get("label", "")
    product_cell = get.get("product", "")
    parameter, pid = ctx.parameter, ctx.parameter_id
    if param_cell.strip():
        parameter = param_cell.strip()
        pid = g.lookup(parameter) if len(g) else None
    elif product_cell and not ctx.parameter:
        pid = None
    if not parameter:
        return []
    product, prod_id = ctx.product, ctx.product_id
    if product_cell.strip():
        product = product_cell.strip()
        prod_id = g.lookup(product, kinds=("food_category",)) if len(g) else None

    notes = get.get("notes", "")
    unit_cell = get.get("unit", "").strip()
    method = find_method(get.get("method", "")) or get.get("method", "").strip() or ctx.method
    row_comp = None
    if "comparator" in roles:
        row_comp = lexicon.comparator_of(get.get("comparator", ""), "before")
    param_comp = lexicon.column_comparator(param_cell) if param_cell else None
    param_unit = _unit_in(param_cell)
    note_unit = ""
    if notes:
        nm = re.compile(
            _NOTE_UNIT.pattern.replace("{unit}", unit_pattern().pattern), re.IGNORECASE
        ).search(notes)
        note_unit = nm.group("u") if nm else ""
    basis = find_basis(param_cell) or find_basis(product_cell) or ctx.basis

    limit_cols = [
        i for i, r in enumerate(roles) if r == "limit" and i < len(cells) and cells[i].strip()
    ]
    out: list[Indicator] = []
    for i in limit_cols:
        h = header[i] if i < len(header) else ""
        comp = row_comp or param_comp or lexicon.column_comparator(h) or ctx.comparator
        unit = note_unit or unit_cell or param_unit or _unit_in(h) or ctx.unit
        cell = _FOOTNOTE_MARK.sub("", cells[i].strip())
        qs = find_quantities(
            cell, lang, default_comparator=comp, default_unit=unit, decimal_comma=ctx.decimal_comma
        )
        col_product = product
        if len(limit_cols) > 1 and h.strip() and not lexicon.column_comparator(h):
            col_product = f"{product} {h.strip()}".strip()
        for q in (
            qs[:1] if len(qs) > 1 and all(x.comparator == qs[0].comparator for x in qs) else qs
        ):
            out.append(
                Indicator(
                    parameter=parameter,
                    comparator=q.comparator,
                    value=q.value,
                    low=q.low,
                    high=q.high,
                    unit=q.unit or unit,
                    product=col_product,
                    basis=find_basis(h) or basis,
                    clause_id=ctx.clause_id,
                    page=ctx.page,
                    text=" | ".join(c for c in cells if c.strip()),
                    method=method,
                    parameter_id=pid,
                    product_id=prod_id,
                    table_id=ctx.table_id,
                )
            )
    return out


def _unit_in(text: str) -> str:
    if not text:
        return ""
    m = unit_pattern().search(text)
    return m.group(0) if m else ""


def with_context(ind: Indicator, **changes: object) -> Indicator:
    return replace(ind, **changes)  # type: ignore[arg-type]
