"""Indicators of a whole document: clause sentences and table rows with their context."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Clause, Document, Indicator, Table
from . import lexicon
from .glossary import Glossary, default_glossary
from .parse import Context, column_roles, find_basis, parse_row, parse_text
from .units import unit_pattern

_DECIMAL_COMMA = re.compile(r"(?<![\d,])0,\d+|\d,\d{1,2}(?!\d)")
_DECIMAL_POINT = re.compile(r"(?<![\d.])0\.\d+|\d\.\d{1,2}(?![\d.])")


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
    out: list[Indicator] = []
    for clause in doc.clauses:
        if clause.kind in ("toc", "front") and not clause.heading:
            continue
        ctx = _clause_context(clause, by_id, doc.language, g, dc)
        out.extend(parse_text(clause.text, doc.language, context=ctx, glossary=g))
    for table in doc.tables:
        out.extend(_table_indicators(table, by_id, doc.language, g, dc))
    return tuple(_dedupe(out))


def _heading_chain(clause: Clause | None, by_id: dict[str, Clause]) -> list[Clause]:
    chain = []
    seen = set()
    while clause is not None and clause.id not in seen:
        seen.add(clause.id)
        chain.append(clause)
        clause = by_id.get(clause.parent) if clause.parent else None
    return chain


def _clause_context(
    clause: Clause | None,
    by_id: dict[str, Clause],
    lang: str,
    g: Glossary,
    dc: bool | None,
    extra: str = "",
) -> Context:
    """Parameter (and product) named by the nearest heading, caption or clause text."""
    parameter, pid, product, pro_id = "", None, "", None
    texts = [extra] if extra else []
    texts += [c.heading for c in _heading_chain(clause, by_id) if c.heading]
    for t in texts:
        if not len(g):
            break
        mentions = g.find(t)
        params = [m for m in mentions if g[m.concept_id].kind != "food_category"]
        foods = [m for m in mentions if g[m.concept_id].kind == "food_category"]
        if params and not parameter:
            parameter, pid = params[0].text, params[0].concept_id
        if foods and not product:
            product, pro_id = foods[0].text, foods[0].concept_id
    return Context(
        lang=lang,
        parameter=parameter,
        parameter_id=pid,
        product=product,
        product_id=pro_id,
        clause_id=clause.id if clause else None,
        page=clause.page if clause else None,
        basis=find_basis(" ".join(texts)),
        decimal_comma=dc,
    )


def _table_indicators(
    table: Table, by_id: dict[str, Clause], lang: str, g: Glossary, dc: bool | None
) -> Iterable[Indicator]:
    clause = by_id.get(table.clause_id) if table.clause_id else None
    ctx = _clause_context(clause, by_id, lang, g, dc, extra=table.caption)
    rows = [r.cells for r in table.rows]
    roles = column_roles(table.header, rows)
    header_comp = next(
        (
            lexicon.column_comparator(h)
            for h, r in zip(table.header, roles, strict=False)
            if r == "limit" and lexicon.column_comparator(h)
        ),
        None,
    )
    header_unit = next(
        (
            m.group(0)
            for h, r in zip(table.header, roles, strict=False)
            if r == "limit" and (m := unit_pattern().search(h))
        ),
        "",
    )
    from dataclasses import replace

    ctx = replace(ctx, table_id=table.id, comparator=header_comp, unit=header_unit)
    for row in table.rows:
        row_ctx = replace(ctx, page=row.page)
        yield from parse_row(
            table.header, row.cells, lang, context=row_ctx, glossary=g, roles=roles
        )


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
        )
        if key in seen:
            continue
        seen.add(key)
        out.append(i)
    return out
