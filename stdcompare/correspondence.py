"""Degree-of-correspondence check: does a GB standard's IDT/MOD/NEQ claim hold up?

A Chinese standard that adopts an international one states the degree of correspondence
(GB/T 20000.2): **IDT** (identical: no technical deviation), **MOD** (modified: technical
deviations exist and are listed with their reasons, in the foreword or an informative
annex) or **NEQ** (not equivalent). When that standard is compared with the one it adopts,
the comparison itself shows the technical differences:

- every indicator gap that is not ``equal`` (a stricter or looser limit, a limit only one
  side sets, a different basis or unit), and
- every requirement clause (one that says 应/不得/shall/must/должен…, or sets a limit)
  without a counterpart on the other side.

An IDT claim with any such difference is flagged. A MOD claim is flagged for the
differences its list does not cover: a listed item covers a difference when it names the
same parameter (through the glossary, or the parameter's printed name) or — if it names no
parameter — refers to the clause, table or annex where the difference sits. NEQ claims
are reported but not judged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .indicators.glossary import Glossary
from .model import (
    Clause,
    ClausePair,
    CorrespondenceCheck,
    CorrespondenceFinding,
    Document,
    Gap,
    Indicator,
    Table,
)

# Sentences and headings that introduce a list of technical differences.
_CUE = re.compile(
    r"技术性?差异|技术偏差|technical\s+(?:deviation|difference|variation)s?|"
    r"техническ\w*\s+(?:отличи|различи|отклонени)\w*",
    re.IGNORECASE,
)
# List items in a foreword: "——…", "— …", "- …", "• …", "a) …", "1) …", "1. …"
_ITEM = re.compile(r"^\s*(?:——|—|–|-|•|·|[a-zа-я]\)|\d{1,2}\)|\d{1,2}\.\s)\s*(?P<text>.+)$")
_REF = re.compile(
    r"(?:见|参见|参看|\bsee\b|\bcf\.|\bсм\.?)\s*(?P<refs>[^）)；;。]*)", re.IGNORECASE
)
_CLAUSE_ID = re.compile(
    r"(?<![\d.])(?:第\s*)?(?P<id>[A-Z]\.\d{1,3}(?:\.\d{1,3})*|\d{1,2}(?:\.\d{1,3})*)(?![\d.]*\s*(?:℃|°|%|mg|µg|μg|nm|cm|mm|kg|g/|mL|L\b|ml))"
)
_TABLE_REF = re.compile(
    r"(?:表|Table|Таблиц[аеы])\s*(?P<n>[A-Z]?\.?\d{1,3}(?:\.\d{1,3})?)", re.IGNORECASE
)
_ANNEX_REF = re.compile(r"(?:附\s*录|Annex|Приложени[ея])\s*(?P<n>[A-Z]|\d{1,2})\b", re.IGNORECASE)
_CLAUSE_COLUMN = re.compile(r"章条|条款|编号|clause|subclause|пункт|раздел", re.IGNORECASE)

# Requirement wording (GB/T 1.1, ISO/IEC Directives Part 2, GOST 1.5).
_ZH_NOT_MODAL = re.compile(r"应用|适应|反应|响应|供应|对应|相应|效应|呼应|应急|感应|顺应|理应")
_MODAL = {
    "zh": re.compile(r"应|不得|必须|须|严禁|禁止"),
    "en": re.compile(r"\b(?:shall|must|is\s+(?:not\s+)?(?:permitted|prohibited|required))\b", re.I),
    "ru": re.compile(
        r"\b(?:долж(?:ен|на|но|ны)|не\s+допуска\w*|запреща\w*|необходимо|следует)\b", re.I
    ),
}
_NOT_REQUIREMENTS = re.compile(
    r"规范性引用文件|参考文献|术语和定义|术语|前言|引言|目次|normative\s+references|bibliography|"
    r"terms\s+and\s+definitions|foreword|introduction|нормативные\s+ссылки|библиография|"
    r"термины\s+и\s+определения|предисловие|введение",
    re.IGNORECASE,
)
_INFORMATIVE = re.compile(r"资料性|informative|справочн", re.IGNORECASE)
_PAREN = re.compile(r"[（(\[][^）)\]]*[）)\]]")
_UNIT_TAIL = re.compile(r"\s*[/／,，]\s*[(（]?[\w/%°℃µμ·.]+[)）]?\s*$")
_NAME_SUFFIX = re.compile(r"(?:含量|限量|总量|值|浓度|content|concentration|level)\s*$", re.I)


@dataclass(frozen=True)
class ListedDifference:
    """One item of a GB document's list of technical differences."""

    text: str
    clauses: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    annexes: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()


def check_correspondence(
    a: Document,
    b: Document,
    pairs: Sequence[ClausePair],
    gaps: Sequence[Gap],
    *,
    glossary: Glossary | None = None,
) -> CorrespondenceCheck | None:
    """Check the adoption claim of ``a`` or ``b`` against the comparison of the two.

    Returns None when neither document states that it adopts the other.
    """
    side = _claiming_side(a, b)
    if side is None:
        return None
    if glossary is None:
        from .indicators.glossary import default_glossary

        glossary = default_glossary()
    gb, other = (a, b) if side == "a" else (b, a)
    adoption = gb.metadata.adoption
    assert adoption is not None
    degree = adoption.degree.upper()
    listed = listed_differences(gb, glossary) if degree != "IDT" else []
    findings = [
        *_gap_findings(gaps, side, listed, glossary, a, b),
        *_clause_findings(a, b, pairs, side, listed, glossary),
    ]
    note = _edition_note(adoption.standard, other)
    unlisted = [f for f in findings if not f.listed]
    if degree == "IDT":
        status = "flagged" if findings else "consistent"
        message = (
            f"{gb.code or 'the GB document'} claims to be identical (IDT) to {adoption.standard}, "
            f"but the comparison shows {len(findings)} technical difference(s)"
            if findings
            else f"IDT claim consistent: no technical difference found against {adoption.standard}"
        )
    elif degree == "MOD":
        status = "flagged" if unlisted else "consistent"
        if not listed and findings:
            message = (
                f"{gb.code or 'the GB document'} claims MOD but lists no technical differences; "
                f"the comparison shows {len(findings)}"
            )
        elif unlisted:
            message = (
                f"MOD claim: {len(unlisted)} of {len(findings)} technical difference(s) against "
                f"{adoption.standard} are not in the document's list of technical differences"
            )
        else:
            message = (
                f"MOD claim consistent: every difference found ({len(findings)}) is covered by the "
                f"{len(listed)} listed technical difference(s)"
            )
    else:
        status = "not_checked"
        message = (
            f"{degree} (not equivalent to {adoption.standard}): differences are expected and "
            f"not judged; {len(findings)} found"
        )
    return CorrespondenceCheck(
        degree=degree,
        standard=adoption.standard,
        claimed_by=side,
        status=status,
        message=message,
        counterpart=other.code,
        statement=adoption.text,
        findings=tuple(findings),
        listed_differences=tuple(d.text for d in listed),
        note=note,
    )


# --- who claims what ----------------------------------------------------------------------------


def _base_key(code: str) -> str:
    from .library.codes import split_code

    return split_code(code).key


def _claiming_side(a: Document, b: Document) -> str | None:
    for side, doc, other in (("a", a, b), ("b", b, a)):
        adoption = doc.metadata.adoption
        if adoption is None or not adoption.standard:
            continue
        if _is_counterpart(adoption.standard, other):
            return side
    return None


def _is_counterpart(standard: str, doc: Document) -> bool:
    key = _base_key(standard)
    if doc.code:
        return _base_key(doc.code) == key
    front = "\n".join(doc.page_texts[:2])
    from .library.codes import code_key

    return key in code_key(front)


def _edition_note(standard: str, other: Document) -> str:
    from .library.codes import split_code

    want = split_code(standard).edition
    have = split_code(other.code).edition if other.code else None
    if want and have and want != have:
        return (
            f"the adopted edition is {standard} but the compared document is {other.code}; "
            "differences may come from the edition"
        )
    return ""


# --- the document's own list of technical differences ---------------------------------------------


def listed_differences(doc: Document, glossary: Glossary) -> list[ListedDifference]:
    """The technical differences a GB document declares: list items that follow a cue
    sentence (``…技术性差异如下：``), and the rows of a table or the text of an annex whose
    caption or heading names technical differences."""
    items: list[str] = []
    by_id = {c.id: c for c in doc.clauses}
    for c in doc.clauses:
        if c.kind == "toc":
            continue
        heading_cue = bool(_CUE.search(c.heading)) or (
            c.kind in ("annex", "annex_clause") and bool(_CUE.search(c.text[:200]))
        )
        lines = [ln.strip() for ln in c.text.splitlines() if ln.strip()]
        if heading_cue:
            items.extend(_annex_items(lines))
            continue
        items.extend(_cued_items(lines))
    for t in doc.tables:
        owner = by_id.get(t.clause_id) if t.clause_id else None
        if _CUE.search(t.caption) or (owner is not None and _CUE.search(owner.heading)):
            items.extend(_table_items(t))
    out: list[ListedDifference] = []
    seen: set[str] = set()
    for text in items:
        key = re.sub(r"\s+", "", text)
        if len(key) < 4 or key in seen:
            continue
        seen.add(key)
        out.append(_parse_item(text, glossary))
    return out


def _cued_items(lines: list[str]) -> list[str]:
    """List items right after a line that introduces technical differences."""
    out: list[str] = []
    k = 0
    while k < len(lines):
        if _CUE.search(lines[k]):
            j = k + 1
            while j < len(lines) and (m := _ITEM.match(lines[j])):
                out.append(m.group("text"))
                j += 1
            if j == k + 1:
                # differences stated inline: "…技术性差异如下：A；B；C。"
                tail = re.split(r"(?<!\d)[:：](?!\d)", lines[k], maxsplit=1)
                if len(tail) == 2 and tail[1].strip():
                    out.extend(p.strip() for p in re.split(r"[；;]", tail[1]) if p.strip())
            k = j
        else:
            k += 1
    return out


def _annex_items(lines: list[str]) -> list[str]:
    items = [m.group("text") for ln in lines if (m := _ITEM.match(ln))]
    if items:
        return items
    return [ln for ln in lines if not _CUE.search(ln) and not _INFORMATIVE.search(ln)]


def _table_items(t: Table) -> list[str]:
    clause_cols = [k for k, h in enumerate(t.header) if _CLAUSE_COLUMN.search(h)]
    out = []
    for row in t.rows:
        cells = [c.strip() for c in row.cells]
        if not any(cells):
            continue
        text = " | ".join(c for c in cells if c)
        if clause_cols:
            refs = " ".join(cells[k] for k in clause_cols if k < len(cells))
            text = f"(见 {refs}) " + " | ".join(
                c for k, c in enumerate(cells) if c and k not in clause_cols
            )
        out.append(text)
    return out


def _parse_item(text: str, glossary: Glossary) -> ListedDifference:
    clauses: list[str] = []
    tables: list[str] = []
    annexes: list[str] = []
    for m in _REF.finditer(text):
        refs = m.group("refs")
        # references to the adopted standard's numbering ("ISO …的4.2") are not ours
        refs = re.split(r"ISO|IEC|EN\s|ГОСТ|Codex|CXS", refs)[0]
        tables += [t.group("n") for t in _TABLE_REF.finditer(refs)]
        annexes += [x.group("n") for x in _ANNEX_REF.finditer(refs)]
        stripped = _ANNEX_REF.sub(" ", _TABLE_REF.sub(" ", refs))
        clauses += [c.group("id") for c in _CLAUSE_ID.finditer(stripped)]
    concepts = [
        m.concept_id
        for m in (glossary.find(text) if len(glossary) else [])
        if glossary[m.concept_id].kind != "food_category"
    ]
    return ListedDifference(
        text=text.strip(),
        clauses=tuple(dict.fromkeys(clauses)),
        tables=tuple(dict.fromkeys(tables)),
        annexes=tuple(dict.fromkeys(annexes)),
        concepts=tuple(dict.fromkeys(concepts)),
    )


# --- matching findings with the list ------------------------------------------------------------


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())


def name_core(parameter: str) -> str:
    """A parameter's printed name without parentheses, unit and 含量/content suffixes."""
    core = re.sub(r"[≤≥<>＜＞]=?\s*$", "", parameter).strip()
    core = re.sub(r"\s*[/／]\s*[(（][^)）]*[)）]\s*$", "", core)  # "/(mg/L)"
    core = re.sub(r"\s*[/／]\s*[^\s/／()（）]+\s*$", "", core)  # "/NTU"
    core = _PAREN.sub("", core)
    while (shorter := _UNIT_TAIL.sub("", core)) != core:
        core = shorter
    core = core.strip(" ,，;；:/")
    return _NAME_SUFFIX.sub("", core).strip(" ,，;；:/")


def _names_parameter(item: ListedDifference, ind: Indicator | None, g: Glossary) -> bool:
    if ind is None:
        return False
    if ind.parameter_id and item.concepts:
        root = g.root(ind.parameter_id) if ind.parameter_id in g else ind.parameter_id
        for cid in item.concepts:
            if cid == ind.parameter_id or (cid in g and g.root(cid) == root):
                return True
    core = _fold(name_core(ind.parameter))
    cjk = bool(re.search(r"[\u4e00-\u9fff]", core))
    return len(core) >= (2 if cjk else 4) and core in _fold(item.text)


def _within(clause_id: str | None, refs: Iterable[str]) -> bool:
    if not clause_id:
        return False
    return any(clause_id == r or clause_id.startswith(r + ".") for r in refs)


def _table_number(table_id: str | None, doc: Document) -> str | None:
    if not table_id:
        return None
    for t in doc.tables:
        if t.id == table_id:
            m = _TABLE_REF.search(t.caption)
            return m.group("n") if m else None
    return None


def _covering(
    listed: Sequence[ListedDifference],
    *,
    ind: Indicator | None = None,
    clause_id: str | None = None,
    heading: str = "",
    g: Glossary,
    doc: Document | None = None,
    names: frozenset[str] = frozenset(),
) -> ListedDifference | None:
    """The listed item that covers a difference, if any.

    For an indicator, an item that names parameters (glossary concepts or printed names of
    the compared indicators, ``names``) covers it only if it names this one; an item that
    names none covers it through a clause, table or annex reference.
    """
    table_no = _table_number(ind.table_id, doc) if ind is not None and doc is not None else None
    annex = None
    if clause_id:
        m = re.match(r"(?:附\s*录\s*|Annex\s+|Приложение\s*)?([A-Z])(?:\.|$)", clause_id)
        annex = m.group(1) if m else None
    for item in listed:
        if ind is not None:
            if _names_parameter(item, ind, g):
                return item
            folded = _fold(item.text)
            if item.concepts or any(n in folded for n in names):
                continue  # the item is about other parameters
        if _within(clause_id, item.clauses) or (table_no and table_no in item.tables):
            return item
        if annex and annex in item.annexes:
            return item
        core = _fold(heading)
        if ind is None and len(core) >= 2 and core in _fold(item.text):
            return item
    return None


def _name_keys(gaps: Sequence[Gap]) -> frozenset[str]:
    out = set()
    for gap in gaps:
        for ind in (gap.a, gap.b):
            if ind is None:
                continue
            core = _fold(name_core(ind.parameter))
            cjk = bool(re.search(r"[\u4e00-\u9fff]", core))
            if len(core) >= (2 if cjk else 4):
                out.add(core)
    return frozenset(out)


def _gap_findings(
    gaps: Sequence[Gap],
    side: str,
    listed: Sequence[ListedDifference],
    g: Glossary,
    a: Document,
    b: Document,
) -> list[CorrespondenceFinding]:
    gb = a if side == "a" else b
    out = []
    names = _name_keys(gaps)
    informative = {"a": informative_clauses(a), "b": informative_clauses(b)}
    for gap in gaps:
        if gap.verdict == "equal":
            continue
        if all(
            ind is None or ind.clause_id in informative[x]
            for x, ind in (("a", gap.a), ("b", gap.b))
        ):
            continue  # limits in informative annexes are not requirements
        gb_ind = gap.a if side == "a" else gap.b
        other_ind = gap.b if side == "a" else gap.a
        ind = gb_ind or other_ind
        item = _covering(
            listed,
            ind=ind,
            clause_id=gb_ind.clause_id if gb_ind else None,
            g=g,
            doc=gb,
            names=names,
        )
        if item is None and gb_ind is not None and other_ind is not None:
            item = _covering(listed, ind=other_ind, g=g, names=names)
        limits = " vs ".join(
            f"{label} {x.describe()}"
            for label, x in (("GB", gb_ind), ("adopted", other_ind))
            if x is not None
        )
        detail = f"{gap.parameter}: {gap.verdict.replace('_', ' ')} ({limits})"
        if gap.reason:
            detail += f" — {gap.reason}"
        out.append(
            CorrespondenceFinding(
                kind="indicator",
                detail=detail,
                parameter=gap.parameter,
                verdict=gap.verdict,
                a_clause=gap.a.clause_id if gap.a else None,
                b_clause=gap.b.clause_id if gap.b else None,
                listed=item is not None,
                listed_as=item.text if item else "",
            )
        )
    return out


def requirement_clauses(doc: Document) -> list[Clause]:
    """Normative clauses that state a requirement (modal verbs or a limit table), outside
    front matter, references, terms, bibliography and informative annexes."""
    by_id = {c.id: c for c in doc.clauses}
    informative = informative_clauses(doc)
    with_tables = {t.clause_id for t in doc.tables if t.clause_id}
    modal = _MODAL.get(doc.language, _MODAL["en"])
    out = []
    for c in doc.clauses:
        if c.kind in ("front", "toc") or not (c.text.strip() or c.id in with_tables):
            continue
        if c.id in informative:
            continue
        chain = _ancestors(c, by_id)
        if any(_NOT_REQUIREMENTS.search(f"{x.heading} {x.id}") for x in chain):
            continue
        text = _ZH_NOT_MODAL.sub("", c.text) if doc.language == "zh" else c.text
        if modal.search(text) or c.id in with_tables:
            out.append(c)
    return out


def informative_clauses(doc: Document) -> set[str]:
    """Ids of informative annexes (资料性附录, informative, справочное) and their clauses."""
    by_id = {c.id: c for c in doc.clauses}
    roots = {
        c.id
        for c in doc.clauses
        if c.kind == "annex" and _INFORMATIVE.search(f"{c.heading} {c.text[:120]}")
    }
    return {c.id for c in doc.clauses if any(x.id in roots for x in _ancestors(c, by_id))}


def _ancestors(c: Clause, by_id: dict[str, Clause]) -> list[Clause]:
    chain, seen = [c], {c.id}
    while chain[-1].parent and chain[-1].parent in by_id and chain[-1].parent not in seen:
        seen.add(chain[-1].parent)
        chain.append(by_id[chain[-1].parent])
    return chain


def _related(clause_id: str, matched: set[str]) -> bool:
    """Matched itself, through an ancestor, or through a descendant clause."""
    return any(
        clause_id == m or clause_id.startswith(m + ".") or m.startswith(clause_id + ".")
        for m in matched
    )


def _clause_findings(
    a: Document,
    b: Document,
    pairs: Sequence[ClausePair],
    side: str,
    listed: Sequence[ListedDifference],
    g: Glossary,
) -> list[CorrespondenceFinding]:
    matched_a = {p.a_id for p in pairs}
    matched_b = {p.b_id for p in pairs}
    out = []
    for doc, matched, this in ((a, matched_a, "a"), (b, matched_b, "b")):
        is_gb = this == side
        for c in requirement_clauses(doc):
            if _related(c.id, matched):
                continue
            item = _covering(listed, clause_id=c.id if is_gb else None, heading=c.heading, g=g)
            label = (c.heading or c.text)[:80].replace("\n", " ")
            who = "the GB document" if is_gb else "the adopted standard"
            out.append(
                CorrespondenceFinding(
                    kind="clause",
                    detail=f"clause {c.id} of {who} has no counterpart: {label}",
                    a_clause=c.id if this == "a" else None,
                    b_clause=c.id if this == "b" else None,
                    listed=item is not None,
                    listed_as=item.text if item else "",
                )
            )
    return out


__all__ = [
    "ListedDifference",
    "check_correspondence",
    "informative_clauses",
    "listed_differences",
    "name_core",
    "requirement_clauses",
]
