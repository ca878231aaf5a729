"""Indicators of a whole document: clause sentences and table rows with their context.

Each clause is read with the headings above it (the nearest heading naming a parameter gives
the parameter of limits that do not name one; a heading such as "Гигиенические нормативы …,
не более" gives bare values their comparator), and with the test method its clause — or a
"检验方法 / Methods of analysis / Метод" subclause beside it — cites. Each table row is read
with the table's caption and clause heading; the cells of grouped first columns (a product
or parameter printed once for several rows) are carried down to the rows beneath.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ..model import Clause, Document, Indicator, Table
from . import lexicon
from .context import Context, heading_parameter, unit_in_heading
from .glossary import Glossary, default_glossary
from .parse import parse_text
from .references import find_method
from .rows import column_roles, parse_row

_DECIMAL_COMMA = re.compile(r"(?<![\d,])0,\d+|\d,\d{1,2}(?!\d)")
_DECIMAL_POINT = re.compile(r"(?<![\d.])0\.\d+|\d\.\d{1,2}(?![\d.])")
_FILL_DOWN = ("product", "parameter", "label", "category")


def uses_decimal_comma(doc: Document) -> bool | None:
    """Whether the document writes decimals with a comma (EU, GOST), judged from all text."""
    text = "\n".join(doc.page_texts) + "\n".join(
        c for t in doc.tables for r in t.rows for c in r.cells
    )
    commas = len(_DECIMAL_COMMA.findall(text))
    points = len(_DECIMAL_POINT.findall(text))
    if commas + points < 3:
        return None
    return commas > points


def extract(doc: Document, *, glossary: Glossary | None = None) -> tuple[Indicator, ...]:
    """All key indicators of ``doc``: from clause text and from table rows."""
    g = glossary if glossary is not None else default_glossary()
    dc = uses_decimal_comma(doc)
    by_id = {c.id: c for c in doc.clauses}
    children: dict[str, list[Clause]] = {}
    for c in doc.clauses:
        if c.parent:
            children.setdefault(c.parent, []).append(c)
    # found once per document: a Codex standard has hundreds of sibling clauses, and scanning
    # them again for each clause made extraction quadratic (CXS 192: 26 s → 16 s)
    cue = _method_cue(doc.language)
    methods = {
        pid: [k for k in kids if cue.search(k.heading or "") or cue.search(k.text[:40])]
        for pid, kids in children.items()
    }
    out: list[Indicator] = []
    from_tables: list[Indicator] = []
    # "Note 4" printed in a table row: the row's indicators, by clause and note number
    cited: dict[str | None, dict[str, list[Indicator]]] = {}
    for table in doc.tables:
        notes = cited.setdefault(table.clause_id, {})
        from_tables.extend(_table_indicators(table, by_id, methods, doc.language, g, dc, notes))
    for clause in doc.clauses:
        if clause.kind in ("toc", "front") and not clause.heading:
            continue
        if _non_limit_section(clause, by_id, doc.language):
            continue
        ctx = _clause_context(clause, by_id, methods, doc.language, g, dc)
        notes = cited.get(clause.id) or {}
        if notes:
            out.extend(_parse_with_notes(clause.text, doc.language, ctx, g, notes))
        else:
            out.extend(parse_text(clause.text, doc.language, context=ctx, glossary=g))
    out.extend(from_tables)
    code = getattr(doc.metadata, "code", "") or ""
    title = getattr(doc.metadata, "title", "") or ""
    # only a code the title carries is surely the document's own (a code read from the text
    # may be the first method it cites)
    own = _code_base(code) if code and _code_base(code) == _code_base(title) else ""
    if own:
        # "EN 228:2012+A1:2017 (E)", a running header in a clause about test methods: the
        # document's own code is never the method its limits are tested by
        out = [replace(i, method="") if _code_base(i.method or "") == own else i for i in out]
    return tuple(_dedupe(out))


def _code_base(code: str) -> str:
    """ "EN 228:2012+A1:2017" → "EN228", "GB 17930—2016" → "GB17930" (no year, amendment)."""
    m = re.match(
        r"\s*([A-Za-zА-Яа-я/ ]+?)\s*(\d+(?:[.\-]\d+)*?)(?=\s*(?:[:—–]|-\d{4}\b|$|\+|\s))", code
    )
    return re.sub(r"\s+", "", f"{m.group(1)}{m.group(2)}").upper() if m else ""


# a note printed under a table ("Note 2: A parametric value of 2,4 mg/l shall apply where …")
# and a table cell citing it ("Note 2", "Sum of …; Note 13", "注3", "Примечание 1")
_NOTE_LINE = re.compile(r"^\s*(?:Notes?|NOTE|Примечани[ея]|注)\s*(\d{1,3})\s*[:：.]", re.IGNORECASE)
_NOTE_REF = re.compile(
    r"(?<![A-Za-zА-Яа-яЁё])(?:Notes?|NOTE|Примечани[ея]|注)\s*(\d{1,3})(?!\d)", re.IGNORECASE
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_FOR_WORD = re.compile(r"\s*(?:for|of|для|по)\s+", re.IGNORECASE)
_APPLIES_WHERE = re.compile(
    r"\b(?:shall\s+apply|applies|apply)\s+(?P<c>(?:where|when|if|for|in)\b[^.;]+)", re.IGNORECASE
)


# a numbered footnote under a table, "(1) The maximum level refers to …", and its mark at the
# end of a cell, "Infant formulae … (1)"
_FOOTNOTE_LINE = re.compile(r"^\s*\((\d{1,2})\)\s+(\S.*)$")
_FOOTNOTE_MARK = re.compile(r"\((\d{1,2})\)\s*$")


def _footnotes(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in (text or "").split("\n"):
        m = _FOOTNOTE_LINE.match(line)
        if m:
            out.setdefault(m.group(1), m.group(2).strip())
    return out


def _cited_state(cells: Sequence[str], footnotes: dict[str, str]) -> str:
    """The product state ("as powder", "ready to eat") a footnote cited by the row says its
    limits are for ("The maximum level refers to the product as placed on the market
    (powder) and not to the product reconstituted …"), as the limits' basis; else ``""``."""
    if not footnotes:
        return ""
    from ..gaps.verdicts import product_state, state_label

    for c in cells:
        m = _FOOTNOTE_MARK.search(c or "")
        if m and m.group(1) in footnotes:
            key = product_state(footnotes[m.group(1)])
            if key:
                return state_label(key)
    return ""


def _parse_with_notes(
    text: str, lang: str, ctx: Context, g: Glossary, notes: dict[str, list[Indicator]]
) -> list[Indicator]:
    """Clause text under a table whose rows cite numbered notes: a limit a note states without
    naming its parameter ("Note 14: A parametric value of 30 µg/l shall apply for regions
    where …") is a limit on the parameter of the row(s) citing that note."""
    out: list[Indicator] = []
    plain: list[str] = []
    for line in (text or "").split("\n"):
        m = _NOTE_LINE.match(line)
        rows = notes.get(m.group(1)) if m else None
        if not rows:
            plain.append(line)
            continue
        if plain:
            out.extend(parse_text("\n".join(plain), lang, context=ctx, glossary=g))
            plain = []
        for ind in parse_text(line, lang, context=ctx, glossary=g):
            out.extend(_note_parameter(ind, rows, g))
    if plain:
        out.extend(parse_text("\n".join(plain), lang, context=ctx, glossary=g))
    return out


def _note_parameter(ind: Indicator, rows: Sequence[Indicator], g: Glossary) -> list[Indicator]:
    """``ind`` read in a note cited by ``rows``: as it is when it names a parameter of its own
    ("Until that date the parametric value for chromium shall be 50 µg/l"); else on the
    parameter the note's text puts right after the value ("0,10 mg/l for nitrite"), else on
    every parameter citing the note ("0,70 mg/l" under both chlorate and chlorite)."""
    if ind.parameter_id is not None:
        return [ind]
    params: dict[str, Indicator] = {}
    for r in rows:
        params.setdefault(r.parameter_id or r.parameter, r)
    if not params:
        return [ind]
    chosen = list(params.values())
    named = _named_after_value(ind, params, g)
    if named is not None:
        chosen = [named]
    scope = _APPLIES_WHERE.search(ind.text)
    condition = ind.condition or (scope.group("c").strip() if scope else "")
    return [
        replace(
            ind,
            parameter=r.parameter,
            parameter_id=r.parameter_id,
            product=r.product,
            product_id=r.product_id,
            basis=ind.basis or r.basis,
            condition=condition,
        )
        for r in chosen
    ]


def _named_after_value(
    ind: Indicator, params: dict[str, Indicator], g: Glossary
) -> Indicator | None:
    """The citing parameter named right after the value and its unit ("… 0,10 mg/l for
    nitrite is complied with …")."""
    for m in _NUMBER.finditer(ind.text):
        try:
            number = float(m.group(0).replace(",", "."))
        except ValueError:
            continue
        if ind.value is None or abs(number - ind.value) > 1e-12:
            continue
        after = ind.text[m.end() :]
        if ind.unit and after.lstrip().startswith(ind.unit):
            after = after.lstrip()[len(ind.unit) :]
        w = _FOR_WORD.match(after)
        if w is None:
            return None
        rest = after[w.end() :]
        for found in g.find(rest) if len(g) else []:
            if found.start == 0 and found.concept_id in params:
                return params[found.concept_id]
        for key, r in params.items():
            if r.parameter and rest.lower().startswith(r.parameter.lower()):
                return params[key]
        return None
    return None


def _heading_chain(clause: Clause | None, by_id: dict[str, Clause]) -> list[Clause]:
    chain = []
    seen = set()
    while clause is not None and clause.id not in seen:
        seen.add(clause.id)
        chain.append(clause)
        clause = by_id.get(clause.parent) if clause.parent else None
    return chain


def _non_limit_section(
    clause: Clause | None, by_id: dict[str, Clause], lang: str, caption: str = ""
) -> bool:
    """Whether a clause (or a table with this caption) sits in a sampling or analysis section
    ("Methods of sampling", "抽样", "Отбор проб", "Performance criteria for …"), whose
    figures are sample sizes and method criteria, not limits. The nearest heading decides."""
    section = lexicon.role_regex("non_limit_section", lang)
    requirement = lexicon.role_regex("requirement_cue", lang)
    texts = [caption] if caption else []
    nearest = next((c.heading for c in _heading_chain(clause, by_id) if c.heading), "")
    if nearest:
        texts.append(nearest)
    return any(section.search(t) and not requirement.search(t) for t in texts)


@functools.lru_cache(maxsize=8)
def _method_cue(lang: str) -> re.Pattern[str]:
    return lexicon.role_regex("method_cue", lang)


def _clause_method(
    clause: Clause | None, by_id: dict[str, Clause], methods: dict[str, list[Clause]], lang: str
) -> str:
    """The test method a clause cites, or that a method subclause beside or under it cites
    (``methods``: the sub-clauses of each clause that are about methods)."""
    if clause is None:
        return ""
    cue = _method_cue(lang)

    def cited(c: Clause) -> str:
        for sentence in re.split(r"(?<=[。；;!?！？])|(?<=\.)\s+", c.full_text):
            if cue.search(sentence):
                m = find_method(sentence)
                if m:
                    return m
        return ""

    found = cited(clause)
    if found:
        return found
    for kid in methods.get(clause.id, []):
        found = cited(kid) or find_method(kid.text)
        if found:
            return found
    parent = by_id.get(clause.parent) if clause.parent else None
    if parent is not None:
        for sib in methods.get(parent.id, []):
            if sib.id != clause.id:
                found = cited(sib) or find_method(sib.text)
                if found:
                    return found
    return ""


def _clause_context(
    clause: Clause | None,
    by_id: dict[str, Clause],
    methods: dict[str, list[Clause]],
    lang: str,
    g: Glossary,
    dc: bool | None,
    caption: str = "",
) -> Context:
    """Heading, parameter, method and place of a clause (or of a table in it)."""
    chain = _heading_chain(clause, by_id)
    headings = [c.heading for c in chain if c.heading]
    parameter, pid = heading_parameter([caption, *headings] if caption else headings, g, lang)
    return Context(
        lang=lang,
        parameter=parameter,
        parameter_id=pid,
        clause_id=clause.id if clause else None,
        page=clause.page if clause else None,
        heading=headings[0] if headings else "",
        caption=caption,
        method=_clause_method(clause, by_id, methods, lang),
        decimal_comma=dc,
    )


def _table_indicators(
    table: Table,
    by_id: dict[str, Clause],
    methods: dict[str, list[Clause]],
    lang: str,
    g: Glossary,
    dc: bool | None,
    cited: dict[str, list[Indicator]] | None = None,
) -> Iterable[Indicator]:
    clause = by_id.get(table.clause_id) if table.clause_id else None
    if _non_limit_section(clause, by_id, lang, table.caption):
        return
    ctx = _clause_context(clause, by_id, methods, lang, g, dc, caption=table.caption)
    ctx = replace(ctx, table_id=table.id, notes=getattr(table, "notes", "") or "")
    rows = [r.cells for r in table.rows]
    roles = column_roles(table.header, rows, lang)
    footnotes = _footnotes(clause.text if clause is not None else "")
    carried: dict[int, str] = {}
    group: tuple[int, str] | None = None  # a parameter printed over its list of cases
    entries = _Entries(rows, roles, g)
    previous_product = ""
    for row in table.rows:
        cells = _fill_down(row.cells, roles, carried)
        previous_product = _excluded_subcategory(cells, roles, previous_product, g)
        row_ctx = replace(ctx, page=row.page)
        group, case = _parameter_group(cells, roles, group, lang)
        if case == "" and group is not None:
            # "蒸气压/kPa" over "11月1日至4月30日 | 45～85": the case is a condition of the name
            cells[group[0]] = f"{group[1]} {cells[group[0]].strip()}"
        elif case is not None and group is not None:
            # "Температура вспышки, не ниже:" over "– для летнего дизельного топлива | 40"
            cells[group[0]] = group[1]
            row_ctx = replace(row_ctx, product=case)
        species = entries.read(cells)
        found = parse_row(
            table.header, cells, lang, context=row_ctx, glossary=g, roles=roles, spans=row.spans
        )
        refs = {m.group(1) for c in row.cells for m in _NOTE_REF.finditer(c or "")}
        state = _cited_state(row.cells, footnotes)
        for ind in found:
            if state and not ind.basis and not ind.condition:
                ind = replace(ind, basis=state)
            if species and (not ind.parameter_id or ind.parameter_id in g.ancestors(species[0])):
                ind = replace(ind, parameter_id=species[0], parameter=species[1])
            if cited is not None:
                for ref in refs:
                    cited.setdefault(ref, []).append(ind)
            yield ind


_EXCLUDED = re.compile(r"^(?P<base>[^（(［\[]+?)\s*[（(［\[](?P<items>[^）)］\]]+)除外\s*[）)］\]]")


def _excluded_subcategory(
    cells: list[str], roles: Sequence[str], previous: str, g: Glossary
) -> str:
    """ "婴幼儿配方食品（液态产品除外） | 0.08" over "液态产品 | 0.01" (GB 2762 表1): a row
    naming only what the row above excluded is that part of the row above's category
    ("婴幼儿配方食品 液态产品") — when the name is not a food category of its own. Rewrites the
    product cell; returns this row's product for the next row."""
    if "product" not in roles:
        return ""
    i = list(roles).index("product")
    if i >= len(cells):
        return ""
    text = cells[i].strip()
    m = _EXCLUDED.match(previous)
    if m and text:
        items = {x.strip() for x in re.split(r"[、，,；;]|和|及", m.group("items")) if x.strip()}
        known = len(g) and g.lookup(text, kinds=("food_category",)) is not None
        if text in items and not known and m.group("base").strip() not in text:
            cells[i] = f"{m.group('base').strip()} {text}"
    return text


_ENTRY_NUMBER = re.compile(r"^\d+(?:\.\d+)+\.?$")


class _Entries:
    """Numbered entries and their sub-entries in a table of products ("3.1.7 Offal of the
    following animals:" over "3.1.7.2 pig | 0,15"): a sub-entry whose product continues the
    entry's phrase (it starts in lower case) gets the entry's words before its own, and a
    species the entry names ("… (inorganic arsenic, sum of As(III) and As(V))") is the
    parameter of its sub-entries."""

    def __init__(self, rows: Sequence[Sequence[str]], roles: Sequence[str], g: Glossary) -> None:
        self.g = g
        self.product = roles.index("product") if "product" in roles else None
        self.limits = [i for i, r in enumerate(roles) if r == "limit"]
        self.code: int | None = None
        for i, r in enumerate(roles):
            col = [x[i].strip() for x in rows if i < len(x) and x[i].strip()]
            if r in ("other", "code", "label") and col and all(_ENTRY_NUMBER.match(c) for c in col):
                self.code = i
                break
        self.open: list[tuple[str, str, tuple[str, str] | None]] = []  # number, words, species

    def read(self, cells: list[str]) -> tuple[str, str] | None:
        """Rewrite the product cell of a sub-entry; return the species its entry names."""
        if self.product is None or self.product >= len(cells) or not self.limits:
            return None
        text = cells[self.product].strip()
        number = (
            cells[self.code].strip() if self.code is not None and self.code < len(cells) else ""
        )
        has_values = any(i < len(cells) and cells[i].strip() for i in self.limits)
        parent = self._parent(number, text)
        if not has_values and text:
            if self.code is None:
                self.open = []
            self.open.append((number, text, self._species(text)))
            return None
        if parent is None:
            if self.code is None:
                self.open = []
            return None
        words, species = parent[1], parent[2]
        if text[:1].islower():
            if words.rstrip(":： ").lower() in text.lower():
                cells[self.product] = text[0].upper() + text[1:]
            else:
                cells[self.product] = f"{words.rstrip()} {text}"
        return species

    def _parent(self, number: str, text: str) -> tuple[str, str, tuple[str, str] | None] | None:
        if self.code is not None and number:
            for entry in reversed(self.open):
                if entry[0] and number.startswith(entry[0].rstrip(".") + "."):
                    return entry
            return None
        if self.open and text[:1].islower():
            return self.open[-1]
        return None

    def _species(self, text: str) -> tuple[str, str] | None:
        """The substance an entry names: a species of a parameter first ("inorganic arsenic"
        in "Cereals … (inorganic arsenic, …)", "aflatoxin B1" in "Aflatoxins — aflatoxin
        B1"), else a parameter of its own ("1.2 | Ochratoxin A |" over its foods)."""
        if not len(self.g):
            return None
        found = [m for m in self.g.find(text) if self.g[m.concept_id].kind != "food_category"]
        for m in found:
            if self.g[m.concept_id].parent:
                return m.concept_id, m.text
        return (found[0].concept_id, found[0].text) if found else None


_CONDITION_ONLY = re.compile(
    r"^\s*(?:\d{1,2}月\d{1,2}日\s*(?:至|—|–|-|～|~)\s*\d{1,2}月\d{1,2}日"
    r"|(?:at|при|在)\s*[-−]?\d+(?:[.,]\d+)?\s*(?:℃|°\s*[CС]))\s*$",
    re.IGNORECASE,
)
_LIST_DASH = re.compile(r"^\s*(?:[–—\-•·]|[a-zа-я]\)|\d{1,2}\))\s*")


def _parameter_group(
    cells: list[str], roles: Sequence[str], group: tuple[int, str] | None, lang: str
) -> tuple[tuple[int, str] | None, str | None]:
    """Parameter rows that introduce a list of cases: a parameter cell ending in a colon
    and no values opens the group; rows whose parameter cell is a dashed item are its
    cases. Returns the open group and, for a case row, the case (its product)."""
    try:
        i = list(roles).index("parameter")
    except ValueError:
        return None, None
    text = cells[i].strip() if i < len(cells) else ""
    values = any(c.strip() for k, c in enumerate(cells) if k < len(roles) and roles[k] == "limit")
    if text.endswith((":", "：")) and not values:
        return (i, text.rstrip(":： ")), None
    if not values and text and unit_in_heading(text):
        return (i, text), None  # "蒸气压ᵇ/kPa" printed over its seasons
    if group is not None and group[0] == i and values and _CONDITION_ONLY.match(text):
        return group, ""
    m = _LIST_DASH.match(text)
    if group is not None and group[0] == i and m and text[m.end() :]:
        marker = lexicon.role_regex("product_marker", lang)
        case = re.sub(rf"^(?:{marker.pattern})\s+", "", text[m.end() :].strip(), flags=re.I)
        return group, case
    return None, None


def _fill_down(cells: Sequence[str], roles: Sequence[str], carried: dict[int, str]) -> list[str]:
    """A product or parameter printed once for a group of rows applies to the rows beneath it."""
    out = list(cells)
    has_values = any(
        c.strip() for i, c in enumerate(cells) if i < len(roles) and roles[i] not in _FILL_DOWN
    )
    for i, c in enumerate(out):
        role = roles[i] if i < len(roles) else "other"
        if role not in _FILL_DOWN:
            continue
        if c.strip():
            carried[i] = c
        elif has_values and carried.get(i):
            out[i] = carried[i]
    return out


def _dedupe(items: list[Indicator]) -> list[Indicator]:
    seen = set()
    out = []
    for i in items:
        key = (
            i.clause_id,
            i.parameter_id or i.parameter,
            i.product,
            i.comparator,
            i.value,
            i.low,
            i.high,
            i.unit,
            i.table_id,
            i.condition,
        )
        if key in seen:
            continue
        seen.add(key)
        out.append(i)
    return out
