"""Indicators of table rows: column meaning, header units, notes that override them.

A limits table gives each column a role — product, parameter, limit, unit, method, notes,
code, sampling plan (n, c, m, M) … — from its heading (``data/column_roles.csv``), its
comparator or limit noun (``限量``, ``Maximum level``, ``Допустимые уровни, не более``,
``Limits minimum``) or, failing both, its numbers. A bare number in a limits column takes the
column's comparator and unit; the unit of a cell, of a unit column, of a notes cell ("The ML
is expressed in mg/l") or of the parameter cell ("硫含量/(mg/kg)") wins over the header's.
A row names its parameter in a parameter column or, in a table of products, in the heading of
each limits column ("B1", "泄漏电流/mA") or in the caption/heading of the table. A notes cell
that names only products within the row's product ("Зерно продовольственное (пшеница, рожь,
…)" with the note "пшеница") narrows the row's product to them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from ..model import Indicator
from . import lexicon
from .context import Context, heading_as_parameter, resolve, unit_in_heading, unit_span_in_heading
from .glossary import Glossary, default_glossary
from .names import (
    _FOOTNOTES,
    basis_matches,
    clean_name,
    find_basis,
    has_param,
    is_food,
    remove_spans,
)
from .parse import _per_of_unit
from .quantities import Quantity, find_quantities, scan, unit_at
from .references import find_method, reference_spans
from .units import comparable, is_ph, unit_pattern

_DASH_CELL = re.compile(
    r"^\s*(?:[—–\-‐‑/／]+|n\.?a\.?|N/A|无|не\s+нормируется|не\s+норм\.?)\s*$", re.I
)
_FOOTNOTE_TAIL = re.compile(
    r"(?<=[\d)）%])\s*(?:[ᵃᵇᶜᵈᵉᶠᵍʰ]+|\*{1,3}|\(\s*\d{1,2}\s*\)|[a-e](?=\s*$))\s*$"
)


@functools.lru_cache(maxsize=1)
def _role_phrases() -> tuple[tuple[str, str, str, bool, re.Pattern[str]], ...]:
    rows = lexicon._csv_rows("column_roles.csv")
    out = [
        (
            r["role"],
            r["lang"],
            r["phrase"],
            (r.get("note") or "").startswith("exact"),
            re.compile(lexicon.phrase_regex(r["phrase"].lower()), re.I),
        )
        for r in rows
    ]
    out.sort(key=lambda t: len(t[2]), reverse=True)
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _weak_roles() -> frozenset[tuple[str, str]]:
    return frozenset(
        (r["role"], r["phrase"].lower())
        for r in lexicon._csv_rows("column_roles.csv")
        if (r.get("note") or "").startswith("weak")
    )


def _norm_heading(h: str) -> str:
    s = re.sub(r"[ᵃᵇᶜᵈᵉᶠᵍʰ*]+|\(\s*\d{1,2}\s*\)", "", h or "")
    return re.sub(r"\s+", " ", s).strip()


def heading_role(h: str) -> tuple[str, str]:
    """(role, matched phrase) of a column heading from ``column_roles.csv``; ``("", "")``."""
    hn = _norm_heading(h)
    low = hn.lower()
    for role, _lang, phrase, exact, rx in _role_phrases():
        p = phrase.lower()
        if exact:
            if role.startswith("plan_") or phrase.isupper():
                if hn == phrase:
                    return role, phrase
            elif low == p:
                return role, phrase
            continue
        if role.startswith("plan_"):
            if hn.endswith(" " + phrase.split()[-1]) and low.startswith(p.rsplit(" ", 1)[0]):
                return role, phrase
            continue
        if rx.search(low):
            return role, phrase
    return "", ""


def column_roles(
    header: Sequence[str], rows: Sequence[Sequence[str]] = (), lang: str | None = None
) -> list[str]:
    """Role of each column: ``product``, ``parameter``, ``limit``, ``unit``, ``method``,
    ``notes``, ``code``, ``portion``, ``condition``, ``category``, ``comparator``, ``plan_n``,
    ``plan_c``, ``plan_m``, ``plan_M``, ``label`` or ``other``."""
    weak = _weak_roles()
    roles: list[str] = []
    strong_limit: list[bool] = []
    for i, h in enumerate(header):
        role, phrase = heading_role(h)
        comp = lexicon.column_comparator(h) if h.strip() else None
        col = [r[i] for r in rows if i < len(r) and r[i].strip()]
        vetoed = lexicon.role_regex("non_indicator").search(h) is not None
        strong = False
        if role in (
            "code",
            "method",
            "notes",
            "portion",
            "unit",
            "condition",
            "other",
            "category",
        ) or role.startswith("plan_"):
            if (role, phrase.lower()) in weak and comp:
                role = "limit"
        elif vetoed:
            role = "other"
        elif role == "product":
            if _names_one_grade(h, phrase) and col and _numeric_share(col) > 0:
                role = "limit?"  # "Grade 1 | Grade 2": the limits of each grade
        elif comp is not None:
            role, strong = "limit", True
        elif role == "parameter" and col and _numeric_share(col) >= 0.8 and _bare_share(col) >= 0.8:
            # "Водородный показатель водной вытяжки (pH)" over 4,0–7,5: a parameter heading
            # over numbers is the limits column of that parameter (products in the rows)
            role = "limit"
        elif role == "parameter":
            if (role, phrase.lower()) in weak:
                role = "parameter?"
        elif lexicon.is_limit_heading(h):
            role = "limit"
        elif col and all(_is_comparator_cell(c) for c in col):
            role = "comparator"
        elif (col and _numeric_share(col) >= 0.5) or (h.strip() and unit_in_heading(h) and not col):
            role = "limit?"
        else:
            role = "other"
        roles.append(role)
        strong_limit.append(strong)
    # "Наименование показателя | Характеристика и норма": a second parameter-like heading
    # with a limit word is the limits column
    if "limit" not in roles and roles.count("parameter") + roles.count("parameter?") >= 2:
        for i in range(len(roles) - 1, -1, -1):
            if roles[i] in ("parameter", "parameter?") and lexicon.is_limit_heading(header[i]):
                roles[i] = "limit"
                break
    _bounds_as_condition(roles, rows)
    have_limit = any(r == "limit" for r in roles)
    for i, r in enumerate(roles):
        if r == "limit?":
            roles[i] = "other" if any(strong_limit) else "limit"
        elif r == "parameter?":
            roles[i] = "parameter" if have_limit else "limit"
    if "product" not in roles and "parameter" not in roles:
        for i, r in enumerate(roles):
            if r == "other" and (not rows or any(i < len(x) and x[i].strip() for x in rows)):
                roles[i] = "label"
                break
    return roles


_BOUND_CELL = re.compile(r"^\s*[≤≥<>＜＞⩽⩾]\s*\d")
_DEVIATION_CELL = re.compile(r"^\s*(?:[±+]|[-−]\s*\d[^～~–-]*$)\s*\d")


def _bounds_as_condition(roles: list[str], rows: Sequence[Sequence[str]]) -> None:
    """ "额定输入功率/W | 偏差" over "≤25 | +20%" and "＞25且≤200 | ±10%" (no parameter or
    product column): the first column holds ranges of the row's own quantity — the row's
    condition — and the deviations beside it are the limits."""
    if "parameter" in roles or "product" in roles or len(roles) < 2:
        return
    if roles[0] not in ("limit", "limit?"):
        return

    def col(i: int) -> list[str]:
        return [r[i].strip() for r in rows if i < len(r) and r[i].strip()]

    first = col(0)
    if not first or not all(_BOUND_CELL.match(c) for c in first):
        return
    if any(
        roles[j] in ("limit", "limit?") and col(j) and all(_DEVIATION_CELL.match(c) for c in col(j))
        for j in range(1, len(roles))
    ):
        roles[0] = "condition"


_GRADE_ID = re.compile(r"^(?:[A-Za-zА-Яа-я]{0,2}\d{1,3}[A-Za-zА-Яа-я]?|[A-ZА-Я]|[IVX]{1,4})$")


def _names_one_grade(h: str, phrase: str) -> bool:
    """Whether a heading is a grade word with the grade's name ("Grade 1", "Class K5",
    "Сорт A"), not the heading of a column of grade names ("Grade")."""
    rest = re.sub(re.escape(phrase), " ", _norm_heading(h), count=1, flags=re.IGNORECASE)
    rest = rest.strip(" :.,")
    # "Class C/C1": one column for two grades that share their limits
    return bool(phrase) and all(_GRADE_ID.match(x.strip()) for x in rest.split("/"))


def _is_comparator_cell(cell: str) -> bool:
    pat, _ = lexicon.compiled("before")
    return pat.fullmatch(cell.strip()) is not None


def _numeric_share(cells: Sequence[str]) -> float:
    npat, _ = lexicon.compiled("none")
    n = 0
    for c in cells:
        if _DASH_CELL.match(c):
            n += 1
            continue
        refs = reference_spans(c)
        rest = re.sub(r"\s+", "", _remove(c, refs))
        if (
            rest and re.match(r"^(?:минус|плюс|minus|plus)?[<>≤≥＜＞]?[-−+]?\d", rest, re.I)
        ) or npat.search(c):
            n += 1
    return n / max(len(cells), 1)


def _bare_share(cells: Sequence[str]) -> float:
    """Share of cells that are values with hardly a word beside them ("4,0–7,5", "20 мг/кг"),
    not names that begin with a number ("95 % об. перегоняется при температуре, °С")."""
    n = sum(1 for c in cells if len(re.sub(r"[\W\d_]", "", c)) <= 8)
    return n / max(len(cells), 1)


def _remove(text: str, spans: list[tuple[int, int]]) -> str:
    return remove_spans(text, spans)


# --- the row ------------------------------------------------------------------------------------


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
    """Indicators of one table row; ``header`` gives each column's meaning and unit.

    ``spans`` gives the columns each cell spans (:attr:`~stdcompare.model.TableRow.spans`):
    a value merged across grade columns ("2.5" under 5号 … -50号) is one limit for those
    grades, and for the whole product when it spans every limits column."""
    g = glossary if glossary is not None else default_glossary()
    ctx = context or Context()
    cells = [c or "" for c in cells]
    header = [h or "" for h in header] + [""] * max(0, len(cells) - len(header))
    filled = [c for c in cells if c.strip()]
    if not filled:
        return []
    from .parse import guess_language

    lang = lang or ctx.lang or guess_language(" ".join(header) + " " + " ".join(cells))
    ctx = resolve(ctx, g, lang)
    roles = list(roles) if roles is not None else column_roles(header, [cells], lang)
    roles += ["other"] * (len(cells) - len(roles))

    def cell(role: str) -> tuple[int, str]:
        for i, r in enumerate(roles):
            if r == role and i < len(cells) and cells[i].strip():
                return i, cells[i].strip()
        return -1, ""

    limit_cols = [
        i for i, r in enumerate(roles) if r == "limit" and i < len(cells) and cells[i].strip()
    ]
    plan = {
        r: cells[i].strip() for i, r in enumerate(roles) if r.startswith("plan_") and i < len(cells)
    }
    if not limit_cols and not plan.get("plan_M") and not plan.get("plan_m"):
        return []

    _, param_cell = cell("parameter")
    _, product_cell = cell("product")
    veto = lexicon.role_regex("non_indicator", lang)
    if (param_cell and veto.search(param_cell)) or (product_cell and veto.search(product_cell)):
        return []  # "Recovery", "RSDR", "Lot weight": method and sampling figures
    _, label_cell = cell("label")
    _, notes = cell("notes")
    _, unit_cell = cell("unit")
    _, method_cell = cell("method")
    _, comp_cell = cell("comparator")
    _, code_cell = cell("code")
    if label_cell:
        if (ctx.parameter and not has_param(label_cell, g)) or is_food(label_cell, g):
            product_cell = label_cell
        else:
            param_cell = label_cell
    table_notes = (
        ctx.notes if ctx.notes and ctx.notes.strip() not in {c.strip() for c in cells} else ""
    )

    # the parameter cell: name, unit, comparator, basis, condition
    p = _read_name_cell(param_cell, lang) if param_cell else _NameCell()
    row_comp = lexicon.comparator_of(comp_cell, "before") if comp_cell else None
    row_comp = row_comp or p.comparator
    note_unit = _note_unit(notes, lang) or _note_unit(table_notes, lang)
    unit_col, unit_condition = _read_unit_cell(unit_cell)
    method = find_method(method_cell) or clean_name(method_cell) if method_cell else ""
    method = method or ctx.method
    notes_basis = find_basis(notes, lang) or find_basis(table_notes, lang)
    product = clean_name(product_cell) if product_cell else ctx.product
    if p.product and not product_cell:
        product = p.product
    param = p.name
    if param and not clean_name(_strip_standalone_phrases(_FOOTNOTES.sub("", param_cell))):
        param = (
            ""  # "Maximum level | – | 15 µg/kg total aflatoxins": the label is only a limit noun
        )
    param_raw = clean_name(_FOOTNOTES.sub("", param_cell)) if param_cell else ""
    if not param and not product_cell and not label_cell and len(limit_cols) <= 1:
        param = ""
    per_default = _per_from_notes(table_notes)
    species = _species_in(notes, g)
    row_condition = _row_condition(header, cells, roles, lang, ctx)

    multi = len(limit_cols) > 1
    min_max = _min_max_pair(header, limit_cols)
    out: list[Indicator] = []
    product_rows = not param_cell  # the columns name parameters, not grades
    base = Indicator(
        parameter="",
        comparator="",
        clause_id=ctx.clause_id,
        page=ctx.page,
        text=" | ".join(c.strip() for c in cells if c.strip()),
        method=method,
        table_id=ctx.table_id,
    )

    def emit(ind: Indicator) -> None:
        name = ind.parameter
        pid = None
        if name and len(g):
            pid = g.lookup(name)
            if pid is not None and g[pid].kind == "food_category":
                pid = None
            if pid is None and ctx.parameter_id:
                # "B1" under "Aflatoxins": the column names a member of the table's parameter
                for head in (ctx.parameter, re.sub(r"(?<=[a-z])s$", "", ctx.parameter)):
                    sub = g.lookup(f"{head} {name}")
                    if sub and sub != ctx.parameter_id and g.root(sub) == g.root(ctx.parameter_id):
                        pid = sub
                        break
                if pid is None and name in ctx.parameter:
                    name, pid = ctx.parameter, ctx.parameter_id  # "噪声" under "车外噪声限值"
            raw_pid = g.lookup(param_raw) if param_raw and name == param else None
            if raw_pid and (
                pid is None or pid in g.ancestors(raw_pid) or _inside_term(g, name, pid, raw_pid)
            ):
                pid = raw_pid  # "% (V/V) recovered at 250 °C" is more than "Distillation"
        if ind.unit and is_ph(ind.unit) and not name:
            name = "pH"
        if pid is None and code_cell and len(g):
            coded = [m for m in g.find(code_cell) if g[m.concept_id].kind != "food_category"]
            if coded:  # "INS 334; 335 ii; 337" beside "Tartrates"
                pid = coded[0].concept_id
        if not name and ctx.parameter:
            name, pid = ctx.parameter, ctx.parameter_id
        if not name and ctx.heading:
            name, pid = heading_as_parameter(ctx.heading, g, lang)
        if pid is not None and species is not None and pid in g.ancestors(species):
            pid = species  # "The ML is for inorganic arsenic (As-in)" under ARSENIC
        prod_id = (
            g.lookup(ind.product, kinds=("food_category",)) if ind.product and len(g) else None
        )
        unit = "" if ind.unit and is_ph(ind.unit) else ind.unit
        out.append(replace(ind, parameter=name, parameter_id=pid, product_id=prod_id, unit=unit))

    if min_max is not None:
        lo_i, hi_i = min_max
        lo_q = _cell_quantities(cells[lo_i], lang, ">=", "", ctx)
        hi_q = _cell_quantities(cells[hi_i], lang, "<=", "", ctx)
        if lo_q and hi_q and lo_q[0].comparator == ">=" and hi_q[0].comparator == "<=":
            unit = _pick_unit(
                lo_q[0].unit or hi_q[0].unit, unit_col, note_unit, p.unit, header[hi_i], ctx
            )
            emit(
                replace(
                    base,
                    parameter=param,
                    comparator="range",
                    low=lo_q[0].value,
                    high=hi_q[0].value,
                    unit=unit,
                    product=product,
                    basis=p.basis or find_basis(header[hi_i], lang) or notes_basis or ctx.basis,
                    condition=p.condition,
                )
            )
            limit_cols = [i for i in limit_cols if i not in (lo_i, hi_i)]

    for i in limit_cols:
        h = header[i] if i < len(header) else ""
        col_comp = lexicon.column_comparator(h) if h.strip() else None
        raw = _FOOTNOTE_TAIL.sub("", cells[i].strip())
        if _DASH_CELL.match(raw):
            continue
        col_name = _column_name(h, lang)
        covered = _covered_columns(i, spans, roles)
        if len(covered) > 1:
            col_name = _spanned_name(header, covered, roles, lang)
        comp = row_comp or col_comp or ctx.comparator
        cell_param, cell_product = param, product
        if covered and len(covered) > 1 and not col_name and not product_rows:
            pass  # one value for every grade: the row's (or the table's) product
        elif multi or len(covered) > 1 or (product_rows and col_name):
            if product_rows or not param:
                if col_name:
                    cell_param = col_name
            elif col_name and not (col_comp and not _column_name(h, lang, keep_grades=True)):
                # a grade column: the grade of the table's product ("车用柴油（Ⅵ） 5号")
                cell_product = f"{product} {col_name}" if product and not product_cell else col_name
        elif col_name and not param:
            cell_param = col_name
        grade = _grade_in_heading(h)
        if grade and grade not in cell_product.split():
            cell_product = f"{cell_product} {grade}".strip()  # "Нормы в отношении класса К5"
        if not cell_param and len(g):
            named = [m for m in g.find(raw) if g[m.concept_id].kind != "food_category"]
            if named:
                cell_param = named[0].text  # "15 µg/kg total aflatoxins"
        per = ""
        if col_comp == "not_detected":
            # "Масса продукта (г), в которой не допускаются: S. aureus" — the cell is the mass
            um = _header_unit_bracket(h)
            qv = scan(raw, lang, ctx.decimal_comma)
            if qv and qv[0].kind == "value" and qv[0].value is not None:
                per = f"{raw} {um}".strip() if um and not qv[0].unit else raw
                emit(
                    replace(
                        base,
                        parameter=cell_param,
                        comparator="not_detected",
                        product=cell_product,
                        basis=p.basis or notes_basis or ctx.basis,
                        per=per,
                    )
                )
                continue
        unit = _pick_unit("", unit_col, note_unit, p.unit, h, ctx)
        if len(covered) > 1 and {lexicon.column_comparator(header[j]) for j in covered} >= {
            ">=",
            "<=",
        }:
            comp = "="  # one value over the minimum and the maximum column: exactly that
        qs = _cell_quantities(raw, lang, comp, unit, ctx) or _class_value(raw, comp)
        if not qs:
            continue
        if (
            len(qs) > 1
            and all(q.comparator == qs[0].comparator for q in qs)
            and qs[0].kind == "value"
        ):
            qs = qs[:1]  # the same limit restated ("2,6 ЕМФ (1,5 мг/дм³)" is kept by parse_text)
        cell_basis = find_basis(raw, lang)
        for q in qs:
            value, q_unit = q.value, q.unit
            if q.comparator == "not_detected" and value is None and notes:
                lod = _lod_in(notes, lang, ctx)
                if lod is not None:
                    value, q_unit = lod
            emit(
                replace(
                    base,
                    parameter=cell_param,
                    comparator=q.comparator or comp or "",
                    value=value,
                    low=q.low,
                    high=q.high,
                    unit=q_unit if q.comparator != "not_detected" or value is not None else "",
                    product=cell_product,
                    basis=cell_basis or p.basis or find_basis(h, lang) or notes_basis or ctx.basis,
                    condition=p.condition or unit_condition or row_condition or ctx.condition,
                    per=q.per
                    or (per_default if q.comparator == "not_detected" else "")
                    or _per_of_unit(unit, q.comparator or ""),
                )
            )

    if plan:
        pind = _plan_row(plan, base, param, product, p, note_unit, per_default, lang, ctx)
        if pind is not None:
            emit(pind)

    # limits written in a notes cell ("甜型葡萄酒…最大使用量为0.4 g/L", "Дрожжи — не более 50 КОЕ/г")
    if notes and not (out and out[-1].comparator == "not_detected" and _lod_in(notes, lang, ctx)):
        out.extend(_notes_limits(notes, lang, ctx, g, out, product))
        if not product_cell and out and _product_like(notes, lang):
            out = [replace(o, product=clean_name(notes)) if not o.product else o for o in out]
        elif product_cell and out and _narrows(notes, product, g):
            # "Зерно продовольственное (пшеница, рожь, …) | дезоксиниваленол | 0,7 | пшеница":
            # the note names which of the row's products the limit is for
            out = [
                replace(o, product=clean_name(notes)) if o.product == product else o for o in out
            ]
    return [o for o in out if o.comparator]


def _narrows(notes: str, product: str, g: Glossary) -> bool:
    """Whether a notes cell names only products that lie within the row's product (the same
    concept or a narrower one in the glossary) and nothing else: a note that narrows the
    product rather than one that qualifies the limit."""
    s = notes.strip()
    if not s or not product or len(s) >= 60 or re.search(r"\d|[.。:：;；]", s):
        return False
    if not len(g) or not is_food(s, g):
        return False
    found = g.find(s, kinds=("food_category",))
    # nothing but the products, separated by commas and "and"
    rest = s
    for m in reversed(found):
        rest = rest[: m.start] + rest[m.end :]
    if re.sub(r"[\s,，、;/]+|\b(?:and|or|и|или)\b|[和及或]", "", rest, flags=re.IGNORECASE):
        return False
    own = {m.concept_id for m in g.find(product, kinds=("food_category",))}
    return bool(own) and all(
        m.concept_id in own or any(a in own for a in g.ancestors(m.concept_id)) for m in found
    )


# --- pieces of a row -------------------------------------------------------------------------


def _covered_columns(i: int, spans: Sequence[int], roles: Sequence[str]) -> list[int]:
    """The limits columns cell ``i`` spans (itself only when it spans one)."""
    width = spans[i] if i < len(spans) and spans[i] > 1 else 1
    return [j for j in range(i, min(i + width, len(roles))) if roles[j] == "limit"] or [i]


def _spanned_name(
    header: Sequence[str], covered: Sequence[int], roles: Sequence[str], lang: str
) -> str:
    """The grades a merged value applies to ("5号、0号、-10号"); "" when it spans every
    limits column (the value is the product's, whatever the grade)."""
    limits = [j for j, r in enumerate(roles) if r == "limit"]
    if set(limits) <= set(covered):
        return ""
    names = [_column_name(header[j], lang) for j in covered if j < len(header)]
    names = [n for n in names if n]
    return ("、" if lang == "zh" else ", ").join(dict.fromkeys(names))


def _read_unit_cell(text: str) -> tuple[str, str]:
    """(unit, condition) of a unit cell: "мг/дм³", "µS cm-1 at 20 °C", "—", "pH units"."""
    t = (text or "").strip()
    if not t or _DASH_CELL.match(t):
        return "", ""
    um = unit_at(t, 0)
    if um is None:
        return "", ""
    unit = "" if is_ph(um.group(0)) else um.group(0)
    rest = t[um.end() :].strip(" ,;")
    return unit, rest if re.match(r"(?:at|при|在)\s", rest) else ""


class _NameCell:
    def __init__(
        self,
        name: str = "",
        unit: str = "",
        comparator: str | None = None,
        basis: str = "",
        condition: str = "",
        product: str = "",
    ) -> None:
        self.name, self.unit, self.comparator = name, unit, comparator
        self.basis, self.condition, self.product = basis, condition, product


_NAME_UNIT = re.compile(r"\s*(?:/|,|，)\s*[(（]?\s*$")


def _read_name_cell(text: str, lang: str) -> _NameCell:
    """ "硫含量ᵃ/(mg/kg)", "Массовая доля серы, мг/кг, не более", "脂肪ᵃ/(g/100 g) ≥",
    "运动黏度ᶜ（20 ℃）/(mm²/s)", "Density at 15 °C" → name, unit, comparator, basis, condition."""
    s = _FOOTNOTES.sub("", text)
    comp = None
    # comparator words in the cell ("不低于", ", не более", "≥" at the end)
    bpat, _ = lexicon.compiled("before")
    cpat, _ = lexicon.compiled("column")
    for rx in (bpat, cpat):
        last = None
        for m in rx.finditer(s):
            last = m
        if last is not None and not re.search(r"\d", s[last.end() :]):
            c = lexicon.comparator_of(last.group(0), "before") or lexicon.comparator_of(
                last.group(0), "column"
            )
            if c and c != "=":
                comp = c
                s = s[: last.start()] + s[last.end() :]
                break
    # conditions printed with the name: （20 ℃）, at 40 °C, при 15 °С, 11月1日至4月30日
    condition = ""
    cm = re.search(
        r"[(（]\s*(?P<c>[-−]?\d+(?:[.,]\d+)?\s*(?:℃|°\s*[CС])(?:\s*/\s*\d+(?:[.,]\d+)?\s*(?:℃|°\s*[CС]))?(?:[，,][^)）]*)?)\s*[)）]"
        r"|(?P<d>(?:\bat|при|在)\s+[-−]?\d+(?:[.,]\d+)?\s*(?:℃|°\s*[CС]))"
        r"|(?P<e>\d{1,2}月\d{1,2}日至\d{1,2}月\d{1,2}日)",
        s,
    )
    if cm:
        condition = (cm.group("c") or cm.group("d") or cm.group("e") or "").strip()
        s = s[: cm.start()] + " " + s[cm.end() :]
    # the basis: （以N计）, （质量分数）, (as NO3), по NO₃⁻
    basis = ""
    bm = basis_matches(s, lang)
    if bm:
        basis = bm[0][1]
        s = remove_spans(s, [sp for sp, _ in bm])
    # the unit: "/(mg/kg)", "/%", ", мг/кг", "(g/100 g)"
    unit = ""
    product = ""
    found = unit_span_in_heading(s)
    if found is not None:
        a, b, unit = found
        after_unit = s[b:]
        before = s[:a].rstrip()
        if before.endswith(("/", ",", "，")):
            a = len(before) - 1
        elif re.search(r"/\s*[(（]$", before):
            a = before.rfind("/")
        close = re.match(r"\s*[)）]", s[b:])
        if (close and re.search(r"[(（]\s*$", s[:a] + before[a:])) or (
            close and re.search(r"[(（]\s*$", before)
        ):
            b += close.end()
        rest = re.sub(r"^\s*[)）]", "", after_unit).strip()
        if rest and re.search(r"[\u4e00-\u9fff]", rest) and not re.search(r"\d", rest):
            product = clean_name(rest)  # "酸度/(°T) 牛乳": the product after the unit
            s = s[:a]
        else:
            s = s[:a] + " " + s[b:]
    s = re.sub(r"[/]\s*[(（]?\s*[)）]?\s*$", "", s)
    name = clean_name(s)
    if not product and lang in ("ru", "en"):
        # "Цетановое число для зимнего и арктического дизельного топлива": the product the
        # row's limit is for, printed after the parameter
        pm = re.search(r"\s(?:для|for)\s+(?P<p>[^,;:()]{4,})$", name, re.IGNORECASE)
        if pm and re.search(r"[A-Za-zА-Яа-яЁё]{3,}", name[: pm.start()]):
            product = clean_name(pm.group("p"))
            name = clean_name(name[: pm.start()])
    return _NameCell(name, unit, comp, basis, condition, product)


def _column_name(h: str, lang: str, keep_grades: bool = True) -> str:
    """The name a limits column heading gives: a parameter ("B1", "泄漏电流", "Уровень звука",
    "最大力总延伸率") or a grade ("5号", "К3"), without its unit, comparator, limit noun,
    basis and stage qualifiers."""
    if not h.strip():
        return ""
    s = _norm_heading(h)
    s = re.sub(r"[:：]\s*$", "", s)
    after_colon = re.search(r"[:：]\s*(.+)$", s)
    if after_colon and lexicon.column_comparator(s[: after_colon.start()]) == "not_detected":
        return clean_name(after_colon.group(1))
    s = remove_spans(s, [sp for sp, _ in basis_matches(s)])
    s = _remove_units(s)
    s = _strip_standalone_phrases(s)
    s = re.sub(
        r"(?:第[一二三四五六七八九十]+阶段|\bStage\s+[IVX]+\b|\d{4}年\d{1,2}月\d{1,2}日以后生产的\w+)",
        " ",
        s,
    )
    s = re.sub(r"^.*?\b(?:в\s+отношении\s+класса|for\s+class|for\s+grade)\s+", "", s)
    # separators a removed unit or phrase left behind ("Уровень звука, " ), not the commas of
    # a list in the name ("Sum of benzo(a)pyrene, benz(a)anthracene, …")
    s = re.sub(r"\s*[/,，](?=\s*(?:$|[/,，]|\s\s))", " ", s)
    name = clean_name(re.sub(r"\s+", " ", s))
    if re.fullmatch(r"[()（）\s/.,:-]*", name):
        return ""
    return name


def _remove_units(s: str, separated_only: bool = False) -> str:
    """A heading without the units printed with its name: "(µg/kg)", "/(mg/kg)", "/%",
    ", мг/кг", " in dB", a unit at the end — not the letters of a name."""
    spans = []
    for m in unit_pattern().finditer(s):
        before, after = s[: m.start()], s[m.end() :]
        b, a = before.rstrip(), after.lstrip()
        bracketed = b.endswith(("(", "（")) and a.startswith((")", "）"))
        slash = b.endswith("/") or re.search(r"/\s*[(（]$", b) is not None
        comma = b.endswith((",", "，")) and (not a or a[0] in ",，")
        in_word = re.search(r"\bin$", b) is not None
        unit = m.group(0)
        at_end = (
            not separated_only
            and not a
            and len(unit) >= 2
            and not re.search(r"[\u4e00-\u9fff]", unit)
            and (before.endswith(" ") or re.search(r"[\u4e00-\u9fff）)]$", before) is not None)
        )
        if not (bracketed or slash or comma or in_word or at_end):
            continue
        start, stop = m.start(), m.end()
        if bracketed or re.search(r"/\s*[(（]$", b):
            start = max(b.rfind("("), b.rfind("（"))
            close = re.match(r"\s*[)）]", after)
            stop = m.end() + (close.end() if close else 0)
        if slash:
            start = b.rfind("/")
        if comma:
            start = len(b) - 1
        if in_word:
            start = len(b) - 2
        spans.append((start, stop))
    return remove_spans(s, spans)


def _strip_standalone_phrases(s: str) -> str:
    """Limit nouns and comparator words that stand apart in a heading ("Maximum levels",
    ", не более", " 不小于", "噪声限值"), not those inside a name ("最大力总延伸率")."""
    pats = [lexicon.compiled("column", strong_only=False)[0], lexicon.compiled("before")[0]]
    spans = []
    for rx in pats:
        for m in rx.finditer(s):
            before = s[: m.start()]
            after = s[m.end() :]
            end_ok = not after.strip() or after[0] in " ,，;；/(（)）:："
            cjk = re.search(r"[\u4e00-\u9fff]", m.group(0)) is not None
            start_ok = not before.strip() or before[-1] in " ,，;；/(（:：" or cjk
            if end_ok and start_ok:
                spans.append(m.span())
    return remove_spans(s, spans)


@functools.lru_cache(maxsize=1)
def _bracketed_unit() -> re.Pattern[str]:
    return re.compile(r"[(（]?\s*(?:" + unit_pattern().pattern + r")\s*[)）]?")


@functools.lru_cache(maxsize=1)
def _unit_in_brackets() -> re.Pattern[str]:
    return re.compile(r"[(（]\s*(" + unit_pattern().pattern + r")\s*[)）]")


_GRADE_WORDS = re.compile(
    r"\b(?:в\s+отношении\s+класса|для\s+класса|для\s+марки|для\s+сорта|класса|марки|сорта"
    r"|for\s+class|for\s+grade|class|grade)\s+(?P<g>[A-ZА-Яа-я0-9][\w.-]{0,12})\s*$",
    re.IGNORECASE,
)


def _grade_in_heading(h: str) -> str:
    """The grade or class a limits column is for ("Нормы в отношении класса К5" → К5)."""
    m = _GRADE_WORDS.search(_norm_heading(h))
    return m.group("g") if m else ""


def _header_unit_bracket(h: str) -> str:
    m = _unit_in_brackets().search(h)
    return m.group(1) if m else ""


def _pick_unit(
    cell_unit: str, unit_col: str, note_unit: str, param_unit: str, header: str, ctx: Context
) -> str:
    return cell_unit or unit_col or note_unit or param_unit or unit_in_heading(header) or ctx.unit


def _cell_quantities(
    raw: str, lang: str, comp: str | None, unit: str, ctx: Context
) -> list[Quantity]:
    from .parse import _clause_span, _counts_something, _in_conditional, _is_condition, _vetoed

    qs = find_quantities(
        raw, lang, default_comparator=comp, default_unit=unit, decimal_comma=ctx.decimal_comma
    )
    # "0.20（含量在0.20 mg/L～0.40 mg/L时，水源水水温应在25 ℃以上）": a bracket after the
    # cell's value is a remark on it; the figures inside never replace the value before it
    brackets = _bracket_spans(raw)
    if brackets:

        def inside(q: Quantity) -> bool:
            return any(a <= q.start < b for a, b in brackets)

        if any(q.comparator and not inside(q) for q in qs):
            qs = [q for q in qs if not inside(q)]
            for a, b in brackets:  # blanked, so that the positions of the rest still hold
                raw = raw[:a] + " " * (b - a) + raw[b:]
    out = []
    for q in qs:
        if not q.comparator:
            continue
        # a value printed alone before the words of the cell ("10 地下水源限制时为20") is
        # the cell's limit, outside the condition that follows it
        leading = len(qs) > 1 and not raw[: q.start].strip()
        text = raw[: q.end] if leading and re.match(r"\s+[\u4e00-\u9fff]", raw[q.end :]) else raw
        # a cell that is a sentence: "1 unit if 3 – 5 per can", "at 20 °C", "12 months"
        cs, ce = _clause_span(text, q.start)
        if _in_conditional(text, q, lang, cs, max(ce, q.end)) or _vetoed(text, q, lang):
            continue
        if _is_condition(raw, q, lang) or _counts_something(raw, q):
            continue
        out.append(q)
    return out


_CLASS_CELL = re.compile(
    r"^\s*(?:class|grade|rating|категори[яи]|класс|балл|等级|级别)\s*(\d{1,2})\s*$"
    r"|^\s*(\d{1,2})\s*(?:级|класс|балл\w*)\s*$",
    re.IGNORECASE,
)


def _class_value(raw: str, comp: str | None) -> list[Quantity]:
    """A limits cell that is a class on a rating scale, "class 1" / "класс 1" / "1 级" (a
    copper strip corrosion rating): the number is the limit, on the scale's unit."""
    m = _CLASS_CELL.match(raw)
    if not m or not comp:
        return []
    num = m.group(1) or m.group(2)
    start = m.start(1) if m.group(1) else m.start(2)
    return [
        Quantity(
            start=start,
            end=start + len(num),
            comparator=comp,
            value=float(num),
            unit="class",
            text=raw.strip(),
            explicit=False,
            kind="value",
        )
    ]


def _bracket_spans(text: str) -> list[tuple[int, int]]:
    """The outermost bracketed spans ``(…)``/``（…）`` of a cell."""
    out: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in "(（":
            if depth == 0:
                start = i
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
    return out


def _min_max_pair(header: Sequence[str], limit_cols: Sequence[int]) -> tuple[int, int] | None:
    lows = [i for i in limit_cols if lexicon.column_comparator(header[i]) == ">="]
    highs = [i for i in limit_cols if lexicon.column_comparator(header[i]) == "<="]
    if len(lows) == 1 and len(highs) == 1 and len(limit_cols) == 2:
        return lows[0], highs[0]
    return None


@functools.lru_cache(maxsize=8)
def _note_unit_rx(lang: str) -> re.Pattern[str]:
    words = lexicon.role_regex("note_unit", None).pattern
    return re.compile(rf"(?:{words})\s*(?P<u>{unit_pattern().pattern})", re.IGNORECASE)


def _note_unit(notes: str, lang: str) -> str:
    """The unit a notes cell says the limit is expressed in ("The ML is expressed in mg/l",
    "若非指定，均以CFU/g或CFU/mL表示")."""
    if not notes:
        return ""
    for m in _note_unit_rx(lang).finditer(notes):
        u = m.group("u")
        rest = notes[m.end() :].lstrip()
        if u.startswith("/") or (rest[:1] and rest[0].isalpha() and rest[0].isascii()):
            continue
        if len(u) == 1 and u.isalpha():
            continue
        return u
    return ""


def _per_from_notes(notes: str) -> str:
    m = re.search(r"以\s*/\s*(\d+(?:\.\d+)?\s*(?:g|mL|ml|克|毫升))", notes or "")
    return m.group(1) if m else ""


def _lod_in(notes: str, lang: str, ctx: Context) -> tuple[float, str] | None:
    m = re.match(r"^\s*(?:[<＜]|LOD|检出限)\s*", notes or "")
    if not m:
        return None
    for q in scan(notes, lang, ctx.decimal_comma):
        if q.value is not None:
            return q.value, q.unit
    return None


def _row_condition(
    header: Sequence[str], cells: Sequence[str], roles: Sequence[str], lang: str, ctx: Context
) -> str:
    """A condition printed in its own column: "Stage where the criterion applies", or a cell
    with a comparator outside the limits columns ("P ≤ 8" under "Net installed power P in kW")."""
    parts = []
    for i, r in enumerate(roles):
        c = cells[i].strip() if i < len(cells) else ""
        if not c or _DASH_CELL.match(c):
            continue
        if r == "condition" and not any(q.explicit for q in scan(c, lang, ctx.decimal_comma)):
            parts.append(c)
        elif r in ("other", "condition") and any(
            q.explicit for q in scan(c, lang, ctx.decimal_comma)
        ):
            unit = unit_in_heading(header[i]) if i < len(header) else ""
            has_unit = any(q.unit for q in scan(c, lang, ctx.decimal_comma))
            parts.append(f"{c} {unit}".strip() if unit and not has_unit else c)
    return "; ".join(parts)


def _direction(comp: str) -> str:
    return {"<=": "max", "<": "max", ">=": "min", ">": "min"}.get(comp, "")


def _species_in(notes: str, g: Glossary) -> str | None:
    """A parameter named in a notes cell ("The ML is for inorganic arsenic"), if one."""
    if not notes or not len(g):
        return None
    for m in g.find(notes):
        if g[m.concept_id].kind != "food_category" and g[m.concept_id].parent:
            return m.concept_id
    return None


def _product_like(notes: str, lang: str) -> bool:
    s = notes.strip()
    return (
        0 < len(s) < 60
        and not re.search(r"\d", s)
        and not re.search(r"[.。:：;；]", s)
        and not find_basis(s, lang)
        and lang == "ru"
    )


def _notes_limits(
    notes: str, lang: str, ctx: Context, g: Glossary, found: list[Indicator], product: str
) -> list[Indicator]:
    from .parse import parse_text

    first = found[0] if found else None
    nctx = replace(
        ctx,
        parameter=first.parameter if first else ctx.parameter,
        parameter_id=first.parameter_id if first else ctx.parameter_id,
        product=product,
        comparator=None,
        unit="",
        heading="",
        caption="",
        notes="",
    )
    extra = parse_text(notes, lang, context=nctx, glossary=g, names_are_products=True)
    known = {(i.comparator, i.value, i.low, i.high) for i in found}
    row_units = {i.unit for i in found if i.unit}
    out = []
    for e in extra:
        if (e.comparator, e.value, e.low, e.high) in known:
            continue
        # a note's figure is another limit of the row only in a unit of the same kind
        # ("up to 12 months" in a note of a mg/kg row is the age the ML applies to)
        if row_units and e.unit and not any(comparable(e.unit, u)[0] for u in row_units):
            continue
        if row_units and not e.unit and e.comparator != "not_detected" and not e.parameter_id:
            continue
        # "…for which the level of melamine higher than 2.5 mg/kg is the consequence of …": a
        # note bounding the other way describes the scope of a maximum, it sets no minimum
        if (
            found
            and _direction(e.comparator)
            and _direction(e.comparator) != _direction(found[0].comparator)
        ):
            continue
        out.append(e)
    return out


def _plan_row(
    plan: dict[str, str],
    base: Indicator,
    param: str,
    product: str,
    p: _NameCell,
    note_unit: str,
    per_default: str,
    lang: str,
    ctx: Context,
) -> Indicator | None:
    """n, c, m, M columns: M is the limit; without M, m is (zero or absence: not detected)."""
    big = plan.get("plan_M", "")
    small = plan.get("plan_m", "")
    use = big if big and not _DASH_CELL.match(big) else small
    if not use or _DASH_CELL.match(use):
        return None
    qs = find_quantities(
        use,
        lang,
        default_comparator="<=",
        default_unit=note_unit or p.unit or ctx.unit,
        decimal_comma=ctx.decimal_comma,
    )
    if not qs:
        return None
    q = qs[0]
    named = replace(base, parameter=param, product=product, basis=p.basis)
    if q.kind == "value" and q.value == 0 and use is small:
        return replace(named, comparator="not_detected", per=per_default)
    if q.comparator == "not_detected":
        return replace(
            named,
            comparator="not_detected",
            value=q.value,
            unit=q.unit if q.value is not None else "",
            per=q.per or per_default,
        )
    return replace(
        named, comparator=q.comparator or "<=", value=q.value, low=q.low, high=q.high, unit=q.unit
    )


def unit_cell_of(text: str) -> str:
    um = unit_at(text, 0)
    return um.group(0) if um else ""


__all__ = ["column_roles", "has_param", "heading_role", "parse_row"]


def _inside_term(g: Glossary, name: str, pid: str, raw: str) -> bool:
    """The cell as printed names a longer term that contains the words the shortened name
    was matched on: "Evaporated at 100 °C, E100" (evaporated_e100) is not the additive E100
    its name becomes once the condition "at 100 °C" is taken out."""
    short = [m.text.lower() for m in g.find(name) if m.concept_id == pid]
    longer = [n.lower() for names in g[raw].names.values() for n in names]
    return any(s in n and s != n for s in short for n in longer)
