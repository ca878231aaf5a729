"""Verdicts on a pair of indicators: which side is stricter, or why they cannot be compared.

"Stricter" respects the comparator: for a maximum the lower value is stricter, for a minimum
(a cetane number, a flash point) the higher one, for a range the one that lies inside the
other (the narrower one); "not detected" is stricter than a maximum at or above its
detection limit. Values are converted with pint (g/kg ↔ mg/kg, µg/L ↔ mg/L, ppm ↔ mg/kg)
before comparing.

A different basis (nitrate as N vs as NO₃⁻), species (Cr(VI) vs total Cr) or dimension
(mg/L vs mg/kg) gives ``not_comparable`` with a reason, unless the user enabled a stated
basis conversion (see :mod:`stdcompare.gaps.conversions`). A basis that only names the
state of the product (以粉状产品计 / as powder, 以即食状态计 / ready to eat) is compared when the
other side names the same state, and otherwise says that the state differs or is not stated.

Every verdict carries ``ratio`` (A's value over B's, in A's unit and basis) and, when one
side is stricter, ``stricter_by``: how many times tighter the stricter limit is (≥ 1).
"""

from __future__ import annotations

import csv
import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import resources

from ..indicators.glossary import Glossary, default_glossary
from ..indicators.units import comparable, convert, lookup
from ..model import Indicator
from .conversions import (
    BasisConversion,
    ConversionsLike,
    basis_label,
    find_conversion,
    fold_basis,
    natural_basis,
    resolve_conversions,
    suggest_conversion,
)

MAX = ("<=", "<")
MIN = (">=", ">")
EPS = 1e-9


@dataclass(frozen=True)
class Verdict:
    """``verdict`` ∈ VERDICTS; ``ratio`` is A/B in A's unit; ``stricter_by`` ≥ 1 is how many
    times tighter the stricter side's limit is; ``b_as_a`` is B's limit restated in A's unit
    and basis when a conversion was needed; ``conversion`` names the basis conversion used."""

    verdict: str
    ratio: float | None = None
    reason: str = ""
    stricter_by: float | None = None
    b_as_a: str = ""
    conversion: str = ""


def _kind(c: str) -> str:
    if c in MAX:
        return "max"
    if c in MIN:
        return "min"
    return {"range": "range", "not_detected": "nd", "=": "eq"}.get(c, "other")


def _close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-12)


# --- basis ---------------------------------------------------------------------------------------

_BASIS_CHEM = re.compile(
    r"以\s*(.+?)\s*计"
    r"|\b(?:expressed\s+|calculated\s+|measured\s+)?as\s+(.+?)\)?$"
    r"|в\s+пересч[её]те\s+на\s+(.+?)\)?$"
    r"|(?:^|\()\s*по\s+(.+?)\)?$",
    re.IGNORECASE,
)
# the word "total" around a basis: total Cr, Cr total, Cr-tot, 总铬, общий хром, хром общий
_TOTAL = re.compile(
    r"^(?:total|总|общ(?:ий|его|ая|ей|ее|ем|ую)?)\s*|[\s,-]*(?:total|tot\.?|общ(?:ий|его|ая|ей|ее|ем|ую)?)$",
    re.IGNORECASE,
)
# "NO3-N", "nitrate-N", "PO4-P": the ion expressed as its element
_ION_AS_ELEMENT = re.compile(r"^[A-Za-z0-9₀-₉⁻]+\s*[-‐–]\s*([NP])$")
_WEIGHT = {
    "dry weight": "dry",
    "dry matter": "dry",
    "dry mass": "dry",
    "干重": "dry",
    "以干物质计": "dry",
    "以干基计": "dry",
    "сухое вещество": "dry",
    "сухого вещества": "dry",
    "сухой массы": "dry",
    "wet weight": "wet",
    "fresh weight": "wet",
    "whole weight": "wet",
    "鲜重": "wet",
    "湿重": "wet",
    "сырой массы": "wet",
    "fat basis": "fat",
    "on a fat basis": "fat",
    "lipid weight": "fat",
    "以脂肪计": "fat",
    "в пересчете на жир": "fat",
    "в пересчёте на жир": "fat",
}
_SUBSCRIPT = str.maketrans("₀₁₂₃₄₅₆₇₈₉⁻", "0123456789-")
# "mg NO3/kg", "mg N/L", "мг N/дм³": a chemical formula printed inside the unit
_UNIT_WITH_BASIS = re.compile(
    r"^(?P<num>[a-zA-Zµμ]*g|мк?г|нг)\s+(?P<chem>[A-Z][A-Za-z0-9₀-₉⁻]{0,7})\s*"
    r"(?P<den>/\s*(?:\d+\s*)?(?:k?g|m?[lL]|dm3|dm³|m3|m³|к?г|дм3|дм³|м3|м³|л))$"
)


# "mg/l O₂", "mg/L as N": the formula printed after the unit
_UNIT_THEN_BASIS = re.compile(
    r"^(?P<unit>\S+/\s*\S+)\s+(?:as\s+|по\s+)?(?P<chem>[A-Z][A-Za-z0-9₀-₉⁻]{0,7})$"
)
# Printed "units" that mean a plain number: pH units, absorbance units, 无量纲 …
_NO_UNIT = re.compile(
    r"^(?:(?:[pр][hн]|absorbance|optical\s+density)(?:[\s-]*units?)?|units?\s+of\s+(?:[pр][hн]|absorbance)"
    r"|ед\.?\s*[pр][hн]|единиц[аы]?\s+[pр][hн]|无量纲|dimensionless|безразмерн\w*"
    r"|级|等级|class|grade|grades|класс|балл(?:а|ов|ы)?)$",
    re.I,
)


def split_unit(unit: str) -> tuple[str, str]:
    """``"mg NO3/kg"`` → ``("mg/kg", "NO3")``, ``"mg/l O₂"`` → ``("mg/l", "O₂")``; other units
    come back unchanged with ``""``. "pH units" and the like become ``""`` (no unit)."""
    u = unit.strip()
    if _NO_UNIT.match(u):
        return "", ""
    m = _UNIT_WITH_BASIS.match(u)
    if m:
        return m.group("num") + re.sub(r"\s+", "", m.group("den")), m.group("chem")
    m = _UNIT_THEN_BASIS.match(u)
    if m:
        return m.group("unit"), m.group("chem")
    return u, ""


def _natural_basis(ind: Indicator, glossary: Glossary) -> str:
    """The basis a limit on this parameter means when it states none (nitrate: NO3)."""
    return natural_basis(ind, glossary)


_FRACTION = re.compile(
    r"^\s*[(（]?\s*(?:(?P<m>质量分数|mass\s+fraction|by\s+mass|m\s*/\s*m|w\s*/\s*w|массов\w*\s+дол\w*|масс\.?)"
    r"|(?P<v>体积分数|volume\s+fraction|by\s+volume|v\s*/\s*v|объ[её]мн\w*\s+дол\w*|об\.?))\s*[)）]?\s*$",
    re.I,
)


def _fraction_word(text: str) -> str:
    m = _FRACTION.match(text)
    if not m:
        return ""
    return "m/m" if m.group("m") else "V/V"


def fraction_kind(ind: Indicator) -> str:
    """``m/m`` or ``V/V`` when the limit is stated as a mass or volume fraction (质量分数,
    "% (V/V)", массовая доля), from its basis or its unit; else ``""``."""
    word = _fraction_word(ind.basis)
    if word:
        return word
    info = lookup(split_unit(ind.unit)[0]) if ind.unit.strip() else None
    return info.qualifier if info is not None and info.qualifier in ("m/m", "V/V") else ""


def basis_key(ind: Indicator, glossary: Glossary) -> str:
    """Normalised basis, or ``""`` when none is stated or it is the parameter itself (以Pb计
    for lead, "as NO3" for nitrate). Weight bases become ``dry``/``wet``/``fat``; chemical
    bases are folded to short keys (以N计, "as nitrogen", в пересчёте на азот → ``n``)."""
    b = ind.basis.strip()
    if not b:
        b = split_unit(ind.unit)[1]
    if not b or _fraction_word(b):
        return ""  # a mass/volume fraction qualifies the unit; see fraction_kind()
    low = b.lower()
    for k, v in _WEIGHT.items():
        if k in low:
            return v
    m = _BASIS_CHEM.search(b)
    chem = next((g for g in m.groups() if g), b) if m else b
    chem = chem.strip().strip("()（）").strip()
    ion = _ION_AS_ELEMENT.match(chem.translate(_SUBSCRIPT))
    if ion:
        chem = ion.group(1)
    # "as total Cr", 以总砷计, "Hg total", в пересчёте на общий хром: "total" names the whole
    # element, which is what the element symbol alone names too
    chem = _TOTAL.sub("", chem).strip() or chem
    key = fold_basis(chem)
    if not key:
        return ""
    concept = glossary.get(ind.parameter_id) if ind.parameter_id else None
    if concept is not None:
        sym = fold_basis(concept.symbol) if concept.symbol else ""
        names = {fold_basis(n) for ns in concept.names.values() for n in ns}
        if key == sym or key in names:
            return ""
    if key == _natural_basis(ind, glossary):
        return ""
    return key


# A basis that only says in which state the product is measured (以粉状产品计, "as powder",
# 以即食状态计, "ready-to-eat", "as reconstituted"): not a chemical basis but a product state;
# it compares with the other side when that side names the same state (in its basis or
# condition, or a footnote read into them), else the reason says so
_STATES = (
    (
        "powder",
        "as powder",
        re.compile(
            r"粉状|粉末|\bpowder(?:ed)?\b|\bdry\s+product\b|порош\w*|сух\w+\s+смес\w*", re.I
        ),
    ),
    (
        "ready",
        "ready to eat (as consumed)",
        re.compile(
            r"即食|冲调|复原|\bready[-\s]to[-\s](?:eat|use|feed|drink|serve)\b|\bas\s+consumed\b"
            r"|\breconstituted\b|готов\w*\s+к\s+употреблению|восстановленн\w*",
            re.I,
        ),
    ),
)
_NEGATION = re.compile(r"\bnot\b|\bне\b|不|非", re.I)


def product_state(text: str) -> str:
    """``powder`` or ``ready`` when ``text`` says in which state the product is measured (the
    first one named before any negation: "as placed on the market (powder) and not … the
    product reconstituted" is ``powder``); else ``""``."""
    if not text or not text.strip():
        return ""
    head = _NEGATION.split(text, maxsplit=1)[0]
    hits = [(m.start(), key) for key, _, rx in _STATES for m in [rx.search(head)] if m]
    return min(hits)[1] if hits else ""


def state_label(key: str) -> str:
    return next(label for k, label, _ in _STATES if k == key)


def _state_reason(a: Indicator, b: Indicator, sa: str, sb: str) -> str:
    def words(ind: Indicator, key: str) -> str:
        if not key:
            return "does not say in which state the product is measured"
        printed = ind.basis.strip() if product_state(ind.basis) else ind.condition.strip()
        return f"is for the product {state_label(key)} ({printed})"

    return f"different product state: A {words(a, sa)}, B {words(b, sb)}"


# --- judging -------------------------------------------------------------------------------------


def judge(
    a: Indicator,
    b: Indicator,
    *,
    glossary: Glossary | None = None,
    conversions: ConversionsLike | Iterable[BasisConversion] = None,
) -> Verdict:
    """The verdict on A against B.

    ``conversions`` enables stated basis conversions: names such as ``"nitrate-N:NO3"``
    (see :func:`~stdcompare.gaps.conversions.named_conversions`), or a mapping
    ``{(basis_a, basis_b): factor}`` whose factor turns a value on basis B into basis A
    (e.g. ``{("n", "no3"): 14.007 / 62.004}``).
    """
    g = glossary if glossary is not None else default_glossary()
    convs = resolve_conversions(conversions)
    if (
        a.parameter_id
        and b.parameter_id
        and a.parameter_id != b.parameter_id
        and not same_property(a, b, g)
    ):
        return Verdict("not_comparable", reason=_species_reason(a, b, g))
    sa = product_state(a.basis) or product_state(a.condition)
    sb = product_state(b.basis) or product_state(b.condition)
    if sa != sb:
        return Verdict("not_comparable", reason=_state_reason(a, b, sa, sb))
    if product_state(a.basis):
        a = replace(a, basis="")  # a product state, no chemical basis
    if product_state(b.basis):
        b = replace(b, basis="")
    # an unstated basis means the parameter's natural one (nitrate: as NO3)
    ba = basis_key(a, g) or _natural_basis(a, g)
    bb = basis_key(b, g) or _natural_basis(b, g)
    factor = 1.0
    conv_used: BasisConversion | None = None
    if ba != bb:
        found = find_conversion(a, b, ba, bb, convs, g)
        if found is None:
            hint = ""
            sug = suggest_conversion(a, b, ba, bb, g)
            if sug is not None:
                hint = f"; to compare them, enable the stated conversion {sug.describe()}"
            return Verdict(
                "not_comparable",
                reason=f"different basis: A {_basis_words(a, ba)}, B {_basis_words(b, bb)}{hint}",
            )
        conv_used, factor = found
    differs = _conditions_differ(a, b)
    if differs:
        return Verdict("not_comparable", reason=differs)
    fa, fb = fraction_kind(a), fraction_kind(b)
    if fa and fb and fa != fb:
        word = {"m/m": "mass", "V/V": "volume"}
        return Verdict(
            "not_comparable",
            reason=f"A is a {word[fa]} fraction, B a {word[fb]} fraction",
        )
    ka, kb = _kind(a.comparator), _kind(b.comparator)
    ua, ub = split_unit(a.unit)[0], split_unit(b.unit)[0]
    if (ka == "nd" and a.value is None) or (kb == "nd" and b.value is None):
        ua_, ub_ = ("", "")  # a "not detected" without a detection limit carries no unit
    else:
        ua_, ub_ = ua, ub
    if bool(ua_) != bool(ub_) and not _dimensionless_pair(ua_, ub_):
        side = "A" if not ua_ else "B"
        return Verdict(
            "not_comparable",
            reason=f"no unit stated for {side}; the other side is in {ua_ or ub_}",
        )
    if ua_ and ub_:
        ok, why = comparable(ua_, ub_)
        if not ok:
            alt = _alternative_units(ua_, ub_)
            if alt is None:
                return Verdict("not_comparable", reason=why)
            ua_, ub_ = alt

    def to_a(x: float | None) -> float | None:
        if x is None:
            return None
        return (convert(x, ub_, ua_) if ua_ and ub_ else x) * factor

    bv, blo, bhi = to_a(b.value), to_a(b.low), to_a(b.high)
    notes = []
    unit_changed = bool(ua_ and ub_ and _unit_differs(ua_, ub_))
    if unit_changed:
        notes.append(f"B converted to {ua_}")
    if conv_used is not None:
        notes.append(f"B's basis converted with {conv_used.describe()}")
    note = f" ({'; '.join(notes)})" if notes else ""
    b_as_a = ""
    if unit_changed or conv_used is not None:
        b_as_a = Indicator(
            b.parameter, b.comparator, bv, blo, bhi, unit=ua_, basis=a.basis
        ).describe()
    v = _judge_kinds(a, b, ka, kb, bv, blo, bhi, ua_, note)
    if _offset_unit(ua_ or ub_):
        # 60 °C is not "1.5×" 40 °C: temperatures are compared by difference only
        v = Verdict(v.verdict, None, v.reason, v.stricter_by if v.verdict == "equal" else None)
    return Verdict(
        v.verdict,
        v.ratio,
        v.reason,
        v.stricter_by,
        b_as_a,
        conv_used.name if conv_used is not None else "",
    )


def _judge_kinds(
    a: Indicator,
    b: Indicator,
    ka: str,
    kb: str,
    bv: float | None,
    blo: float | None,
    bhi: float | None,
    unit: str,
    note: str,
) -> Verdict:
    if ka == "nd" or kb == "nd":
        return _with_not_detected(a, b, ka, kb, bv, unit, note)
    if ka == kb == "max":
        return _order(a.value, bv, a.comparator, b.comparator, True, unit, note)
    if ka == kb == "min":
        return _order(a.value, bv, a.comparator, b.comparator, False, unit, note)
    if ka == kb == "range":
        return _ranges(a.low, a.high, blo, bhi, note)
    if ka == kb == "eq":
        if a.value is not None and bv is not None and _close(a.value, bv):
            return Verdict("equal", 1.0, "same required value" + note, 1.0)
        return Verdict(
            "not_comparable",
            _ratio(a.value, bv),
            "the two sides require different exact values" + note,
        )
    if {ka, kb} == {"range", "max"} or {ka, kb} == {"range", "min"}:
        return _range_vs_bound(a, ka, kb, blo, bhi, bv, note)
    if {ka, kb} == {"max", "min"}:
        return Verdict("not_comparable", reason="one side sets a maximum, the other a minimum")
    if "eq" in (ka, kb):
        return Verdict(
            "not_comparable", reason="one side requires an exact value, the other a limit"
        )
    return Verdict(
        "not_comparable", reason=f"comparators {a.comparator!r} and {b.comparator!r} differ"
    )


_OFFSET_UNIT = re.compile(r"^\s*(?:°\s*[CFС]|℃|℉|deg\s*[CF]|градус\w*)\s*$", re.I)


def _offset_unit(unit: str) -> bool:
    """Temperatures on the Celsius or Fahrenheit scale: ratios of them mean nothing."""
    return bool(_OFFSET_UNIT.match(unit or ""))


_COND_QTY = re.compile(
    r"(?P<num>[-+−]?\d+(?:[.,]\d+)?)\s*(?P<unit>°\s*[CС]|℃|K|h|min|ч|мин|小时|分钟|nm|нм|cm|см|mm|мм)(?![A-Za-zА-Яа-я])"
)
_COND_UNIT = {
    "°С": "°C",
    "° C": "°C",
    "℃": "°C",
    "ч": "h",
    "小时": "h",
    "мин": "min",
    "分钟": "min",
    "нм": "nm",
    "см": "cm",
    "мм": "mm",
}


def _condition_set(text: str) -> frozenset[tuple[float, str]]:
    out = set()
    for m in _COND_QTY.finditer(text):
        unit = re.sub(r"\s+", "", m.group("unit"))
        unit = _COND_UNIT.get(unit, unit).replace("°С", "°C")
        out.add((float(m.group("num").replace(",", ".").replace("−", "-")), unit))
    return frozenset(out)


def _conditions_differ(a: Indicator, b: Indicator) -> str:
    """A reason when both limits state reference conditions (temperature, duration,
    wavelength …) and these differ, e.g. a density at 20 °C against one at 15 °C."""
    ca, cb = getattr(a, "condition", "") or "", getattr(b, "condition", "") or ""
    if not ca.strip() or not cb.strip():
        return ""
    sa, sb = _condition_set(ca), _condition_set(cb)
    # only a quantity both sides state can differ: "50 ℃，3 h" against "at 50 °C" (the
    # duration left in the name) is no difference
    shared = {u for _, u in sa} & {u for _, u in sb}
    if any({v for v, u in sa if u == k} != {v for v, u in sb if u == k} for k in shared):
        return f"different reference conditions: A {ca.strip()}, B {cb.strip()}"
    return ""


_ALTERNATIVES = re.compile(r"\s*(?:或|\bor\b|\bили\b)\s*")


def _alternative_units(ua: str, ub: str) -> tuple[str, str] | None:
    """Printed alternatives, "MPN/mL或CFU/mL" against "CFU/mL": the first pair that can be
    compared, or ``None``."""
    for xa in _ALTERNATIVES.split(ua):
        for xb in _ALTERNATIVES.split(ub):
            if xa and xb and (xa, xb) != (ua, ub) and comparable(xa, xb)[0]:
                return xa, xb
    return None


def _unit_differs(ua: str, ub: str) -> bool:
    ia, ib = lookup(ua), lookup(ub)
    if ia is not None and ib is not None:
        return ia.expr != ib.expr
    return ua != ub


def _dimensionless_pair(ua: str, ub: str) -> bool:
    """pH written as a unit on one side and left blank on the other."""
    other = ua or ub
    return other.strip().lower() == "ph"


@functools.lru_cache(maxsize=1)
def _same_property_rows() -> tuple[tuple[str, str, str], ...]:
    res = resources.files("stdcompare.data").joinpath("same_property.csv")
    lines = [ln for ln in res.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return tuple((r["parent"], r["child"], r["unit"]) for r in csv.DictReader(lines))


def same_property(a: Indicator, b: Indicator, g: Glossary) -> bool:
    """Whether a parent and child id name one test property at the units of both limits
    (``data/same_property.csv``: petrol "oxidation stability" in minutes is the induction
    period)."""
    ids = {a.parameter_id, b.parameter_id}
    for parent, child, unit in _same_property_rows():
        if ids == {parent, child} and all(
            split_unit(x.unit)[0] and comparable(split_unit(x.unit)[0], unit)[0] for x in (a, b)
        ):
            return True
    return False


_DEGREES = re.compile(r"([-−]?\d+(?:[.,]\d+)?)\s*(?:°\s*C|℃)")


def _temperatures(text: str) -> list[str]:
    return [m.group(1).replace(",", ".").replace("−", "-") for m in _DEGREES.finditer(text or "")]


def _reference_temperature_reason(a: Indicator, b: Indicator, g: Glossary) -> str:
    """ "different reference temperature (20 °C vs 15 °C)" when each side's limit is at its
    own temperature, from its condition or its concept's name (density at 20 °C)."""
    ta = _temperatures(a.condition) or _temperatures(_concept_en(a, g))
    tb = _temperatures(b.condition) or _temperatures(_concept_en(b, g))
    if len(ta) == 1 and len(tb) == 1 and float(ta[0]) != float(tb[0]):
        return f"different reference temperature ({ta[0]} °C vs {tb[0]} °C)"
    return ""


def _concept_en(ind: Indicator, g: Glossary) -> str:
    c = g.get(ind.parameter_id)
    return c.name("en") if c else ""


def _species_reason(a: Indicator, b: Indicator, g: Glossary) -> str:
    na, nb = _concept_name(a, g), _concept_name(b, g)
    ida, idb = a.parameter_id or "", b.parameter_id or ""
    related = (
        idb in g.ancestors(ida)
        or ida in g.ancestors(idb)
        or (
            (ca := g.get(ida)) is not None
            and (cb := g.get(idb)) is not None
            and ca.parent == cb.parent
        )
    )
    temp = _reference_temperature_reason(a, b, g) if related else ""
    if temp:
        return f"{temp}: A limits {na}, B {nb}"
    if idb in g.ancestors(ida):
        return f"different species: A limits {na}; B limits {nb}, which includes it"
    if ida in g.ancestors(idb):
        return f"different species: A limits {na}, which includes B's {nb}"
    return f"different species: A limits {na}, B limits {nb}"


def _concept_name(ind: Indicator, g: Glossary) -> str:
    c = g.get(ind.parameter_id)
    return f"{c.name('en')} ({ind.parameter})" if c else ind.parameter


def _basis_words(ind: Indicator, key: str) -> str:
    printed = ind.basis or split_unit(ind.unit)[1]
    if not printed:
        return "states no basis" + (f" (taken as {basis_label(key)})" if key else "")
    return f"is expressed {printed}" + (f" (as {basis_label(key)})" if key else "")


def _ratio(x: float | None, y: float | None) -> float | None:
    """A / B; none for a zero or negative divisor or a negative value (temperatures)."""
    if x is None or y is None or y <= 0 or x < 0:
        return None
    return round(x / y, 4)


def _factor(x: float, y: float) -> float | None:
    """How many times the larger of two positive numbers exceeds the smaller."""
    if x <= 0 or y <= 0:
        return None
    return round(max(x, y) / min(x, y), 4)


def _order(
    va: float | None,
    vb: float | None,
    ca: str,
    cb: str,
    lower_is_stricter: bool,
    unit: str,
    note: str,
) -> Verdict:
    if va is None or vb is None:
        return Verdict("not_comparable", reason="a value is missing")
    by_ratio = va > 0 and vb > 0 and not _offset_unit(unit)
    ratio = _ratio(va, vb) if by_ratio or va == 0 else None
    word = "maximum" if lower_is_stricter else "minimum"
    if _close(va, vb):
        strict_a, strict_b = ca in ("<", ">"), cb in ("<", ">")
        if strict_a != strict_b:
            v = "a_stricter" if strict_a else "b_stricter"
            return Verdict(
                v,
                ratio,
                f"same value; {'A' if strict_a else 'B'} excludes the limit itself{note}",
                1.0,
            )
        return Verdict("equal", ratio, f"same {word}{note}", 1.0)
    a_stricter = (va < vb) if lower_is_stricter else (va > vb)
    first, second, x, y = ("A", "B", va, vb) if a_stricter else ("B", "A", vb, va)
    verdict = "a_stricter" if a_stricter else "b_stricter"
    if by_ratio:
        return Verdict(
            verdict, ratio, f"{first}'s {word} is {_times(x, y)} {second}'s{note}", _factor(x, y)
        )
    u = f" {unit}" if unit else ""
    how = "lower" if x < y else "higher"
    return Verdict(
        verdict,
        ratio,
        f"{first}'s {word} {_g(x)}{u} is {_g(abs(x - y))}{u} {how} than {second}'s {_g(y)}{u}{note}",
        None,
    )


def _times(x: float, y: float) -> str:
    r = x / y
    if r >= 1:
        return f"{r:.3g}× higher than"
    return f"{1 / r:.3g}× lower than"


def _g(x: float) -> str:
    return f"{x:.6g}"


def _ranges(
    alo: float | None, ahi: float | None, blo: float | None, bhi: float | None, note: str
) -> Verdict:
    if alo is None or ahi is None or blo is None or bhi is None:
        return Verdict("not_comparable", reason="a range bound is missing")
    wa, wb = ahi - alo, bhi - blo
    ratio = _ratio(wa, wb)
    ra, rb = f"{_g(alo)}–{_g(ahi)}", f"{_g(blo)}–{_g(bhi)}"
    if _close(alo, blo) and _close(ahi, bhi):
        return Verdict("equal", 1.0, "same range" + note, 1.0)
    if blo - EPS <= alo and ahi <= bhi + EPS:
        return Verdict(
            "a_stricter",
            ratio,
            f"A's range {ra} lies within B's {rb}{note}",
            _factor(wa, wb),
        )
    if alo - EPS <= blo and bhi <= ahi + EPS:
        return Verdict(
            "b_stricter",
            ratio,
            f"B's range {rb} lies within A's {ra}{note}",
            _factor(wa, wb),
        )
    if ahi < blo or bhi < alo:
        return Verdict(
            "not_comparable",
            ratio,
            f"the ranges do not overlap (A {ra}, B {rb}): no value satisfies both{note}",
        )
    narrower = "A's" if wa < wb else "B's" if wb < wa else "neither"
    return Verdict(
        "not_comparable",
        ratio,
        f"ranges overlap only in part (A {ra}, B {rb}): each side is stricter at one end"
        f" ({narrower} range is narrower){note}",
    )


def _range_vs_bound(
    a: Indicator,
    ka: str,
    kb: str,
    blo: float | None,
    bhi: float | None,
    bv: float | None,
    note: str,
) -> Verdict:
    if ka == "range":
        lo, hi, bound, bk, range_side = a.low, a.high, bv, kb, "A"
    else:
        lo, hi, bound, bk, range_side = blo, bhi, a.value, ka, "B"
    if lo is None or hi is None or bound is None:
        return Verdict("not_comparable", reason="a value is missing")
    other = "B" if range_side == "A" else "A"
    word = "maximum" if bk == "max" else "minimum"
    inside = hi <= bound + EPS if bk == "max" else lo >= bound - EPS
    if inside:
        v = "a_stricter" if range_side == "A" else "b_stricter"
        edge = hi if bk == "max" else lo
        by = _factor(edge, bound) if not _close(edge, bound) else 1.0
        return Verdict(
            v,
            None,
            f"{range_side}'s range {_g(lo)}–{_g(hi)} satisfies {other}'s {word} {_g(bound)}"
            f" and also bounds the other end{note}",
            by,
        )
    return Verdict(
        "not_comparable",
        reason=f"{range_side}'s range {_g(lo)}–{_g(hi)} and {other}'s {word} {_g(bound)} cross: "
        f"each side is stricter somewhere{note}",
    )


def _with_not_detected(
    a: Indicator, b: Indicator, ka: str, kb: str, bv: float | None, unit: str, note: str
) -> Verdict:
    """ "Not detected" means: below the detection limit of the prescribed method. Against a
    maximum it is stricter unless the maximum lies below the printed detection limit."""
    u = f" {unit}" if unit else ""
    if ka == kb == "nd":
        if a.value is not None and bv is not None and not _close(a.value, bv):
            lower = "A" if a.value < bv else "B"
            v = "a_stricter" if lower == "A" else "b_stricter"
            return Verdict(
                v,
                _ratio(a.value, bv),
                f"both require absence; {lower}'s detection limit is lower"
                f" ({_g(a.value)} against {_g(bv)}{u}){note}",
                _factor(a.value, bv),
            )
        return Verdict("equal", None, "both require absence (not detected)" + note, 1.0)
    nd_side = "A" if ka == "nd" else "B"
    other_side = "B" if nd_side == "A" else "A"
    nd_lod = a.value if nd_side == "A" else bv
    other_kind = kb if nd_side == "A" else ka
    other_val = bv if nd_side == "A" else a.value
    other_ind = b if nd_side == "A" else a
    nd_wins = "a_stricter" if nd_side == "A" else "b_stricter"
    other_wins = "b_stricter" if nd_side == "A" else "a_stricter"
    if other_kind in ("max", "eq") and other_val is not None and other_val <= 0:
        return Verdict(
            "equal", None, f"{other_side}'s limit of 0 is the same as not detected{note}", 1.0
        )
    if other_kind == "max":
        if other_val is None:
            return Verdict("not_comparable", reason="a value is missing")
        if nd_lod is None:
            return Verdict(
                nd_wins,
                None,
                f"{nd_side} requires absence (not detected, no detection limit printed); "
                f"{other_side} allows up to {other_ind.describe()}{note}",
            )
        ratio = _ratio(a.value, bv)
        if other_val < nd_lod - EPS * max(1.0, nd_lod):
            return Verdict(
                other_wins,
                ratio,
                f"{other_side}'s maximum {_g(other_val)}{u} is below {nd_side}'s detection "
                f"limit {_g(nd_lod)}{u}{note}",
                _factor(other_val, nd_lod),
            )
        by = _factor(other_val, nd_lod) if not _close(other_val, nd_lod) else 1.0
        return Verdict(
            nd_wins,
            ratio,
            f"{nd_side} requires absence (detection limit {_g(nd_lod)}{u}); "
            f"{other_side} allows up to {_g(other_val)}{u}{note}",
            by,
        )
    return Verdict(
        "not_comparable",
        reason=f"{nd_side} requires absence, {other_side} sets {other_ind.describe()}",
    )
