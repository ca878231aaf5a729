"""Verdicts on a pair of indicators: which side is stricter, or why they cannot be compared.

"Stricter" respects the comparator: for a maximum the lower value is stricter, for a minimum
the higher one, for a range the narrower one; "not detected" is stricter than any positive
maximum. Values are converted with pint before comparing. A different basis (as N vs as NO3),
species (Cr(VI) vs total Cr) or dimension (mg/L vs mg/kg) gives ``not_comparable`` with a
reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..errors import ConversionError
from ..indicators.glossary import Glossary, default_glossary
from ..indicators.units import comparable, convert, lookup
from ..model import Indicator

MAX = ("<=", "<")
MIN = (">=", ">")
EPS = 1e-9


@dataclass(frozen=True)
class Verdict:
    verdict: str
    ratio: float | None = None
    reason: str = ""


def _kind(c: str) -> str:
    if c in MAX:
        return "max"
    if c in MIN:
        return "min"
    return {"range": "range", "not_detected": "nd", "=": "eq"}.get(c, "other")


def _close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-12)


_BASIS_CHEM = re.compile(
    r"以\s*(.+?)\s*计|\bas\s+(.+)$|в\s+пересч[её]те\s+на\s+(.+)$", re.IGNORECASE
)
_WEIGHT = {
    "dry weight": "dry",
    "dry matter": "dry",
    "dry mass": "dry",
    "干重": "dry",
    "以干物质计": "dry",
    "сухое вещество": "dry",
    "сухого вещества": "dry",
    "wet weight": "wet",
    "fresh weight": "wet",
    "whole weight": "wet",
    "鲜重": "wet",
    "湿重": "wet",
    "fat basis": "fat",
    "on a fat basis": "fat",
    "lipid weight": "fat",
    "以脂肪计": "fat",
}
_SUBSCRIPT = str.maketrans("₀₁₂₃₄₅₆₇₈₉⁻", "0123456789-")


def basis_key(ind: Indicator, glossary: Glossary) -> str:
    """Normalised basis, or ``""`` when none is stated or it is the parameter itself (以Pb计
    for lead). Weight bases become ``dry``/``wet``/``fat``."""
    b = ind.basis.strip()
    if not b:
        return ""
    low = b.lower()
    for k, v in _WEIGHT.items():
        if k in low:
            return v
    m = _BASIS_CHEM.search(b)
    chem = next((g for g in m.groups() if g), b) if m else b
    chem = re.sub(r"[\s()（）⁻\-]", "", chem.translate(_SUBSCRIPT))
    if not chem:
        return ""
    concept = glossary.get(ind.parameter_id) if ind.parameter_id else None
    if concept is not None:
        sym = re.sub(r"[\s()（）\-]", "", concept.symbol.translate(_SUBSCRIPT))
        names = {n.lower() for ns in concept.names.values() for n in ns}
        if chem == sym or chem.lower() in names:
            return ""
    return chem.lower()


def judge(
    a: Indicator,
    b: Indicator,
    *,
    glossary: Glossary | None = None,
    conversions: dict[tuple[str, str], float] | None = None,
) -> Verdict:
    """The verdict on A against B. ``conversions`` maps (basis A, basis B) to a factor that
    turns a value on basis B into basis A (e.g. ``{("n", "no3"): 14.007 / 62.004}``)."""
    g = glossary if glossary is not None else default_glossary()
    if a.parameter_id and b.parameter_id and a.parameter_id != b.parameter_id:
        return Verdict(
            "not_comparable",
            reason=f"different species: A limits {_concept_name(a, g)}, B limits {_concept_name(b, g)}",
        )
    ba, bb = basis_key(a, g), basis_key(b, g)
    factor = 1.0
    if ba != bb:
        conv = (conversions or {}).get((ba, bb))
        if conv is None:
            return Verdict(
                "not_comparable",
                reason=f"different basis: A {_basis_words(a, ba)}, B {_basis_words(b, bb)}",
            )
        factor = conv
    ka, kb = _kind(a.comparator), _kind(b.comparator)
    if ka == "nd" or kb == "nd":
        return _with_not_detected(a, b, ka, kb)
    ua, ub = a.unit.strip(), b.unit.strip()
    if bool(ua) != bool(ub) and not _dimensionless_pair(ua, ub):
        side = "A" if not ua else "B"
        return Verdict(
            "not_comparable", reason=f"no unit stated for {side}; the other side is in {ua or ub}"
        )
    if ua and ub:
        ok, why = comparable(ua, ub)
        if not ok:
            return Verdict("not_comparable", reason=why)

    def to_a(x: float | None) -> float | None:
        if x is None:
            return None
        try:
            return convert(x, ub, ua) * factor if ua and ub else x * factor
        except ConversionError as exc:  # pragma: no cover - comparable() said yes
            raise exc

    bv, blo, bhi = to_a(b.value), to_a(b.low), to_a(b.high)
    note = f" (B converted to {ua})" if ua and ub and lookup(ua) != lookup(ub) and ua != ub else ""
    if ka == kb == "max":
        return _order(a.value, bv, a.comparator, b.comparator, lower_is_stricter=True, note=note)
    if ka == kb == "min":
        return _order(a.value, bv, a.comparator, b.comparator, lower_is_stricter=False, note=note)
    if ka == kb == "range":
        return _ranges(a.low, a.high, blo, bhi, note)
    if ka == kb == "eq":
        if a.value is not None and bv is not None and _close(a.value, bv):
            return Verdict("equal", 1.0, "same required value" + note)
        return Verdict("not_comparable", reason="the two sides require different exact values")
    if {ka, kb} == {"range", "max"} or {ka, kb} == {"range", "min"}:
        return _range_vs_bound(a, b, ka, kb, blo, bhi, bv, note)
    if {ka, kb} == {"max", "min"}:
        return Verdict("not_comparable", reason="one side sets a maximum, the other a minimum")
    if "eq" in (ka, kb):
        return Verdict(
            "not_comparable", reason="one side requires an exact value, the other a limit"
        )
    return Verdict(
        "not_comparable", reason=f"comparators {a.comparator!r} and {b.comparator!r} differ"
    )


def _dimensionless_pair(ua: str, ub: str) -> bool:
    """pH written as a unit on one side and left blank on the other."""
    other = ua or ub
    return other.strip().lower() == "ph"


def _concept_name(ind: Indicator, g: Glossary) -> str:
    c = g.get(ind.parameter_id)
    return f"{c.name('en')} ({ind.parameter})" if c else ind.parameter


def _basis_words(ind: Indicator, key: str) -> str:
    return f"is expressed {ind.basis}" if key else "states no basis"


def _ratio(x: float | None, y: float | None) -> float | None:
    if x is None or y is None or y == 0:
        return None
    return round(x / y, 4)


def _order(
    va: float | None, vb: float | None, ca: str, cb: str, *, lower_is_stricter: bool, note: str
) -> Verdict:
    if va is None or vb is None:
        return Verdict("not_comparable", reason="a value is missing")
    ratio = _ratio(va, vb)
    if _close(va, vb):
        strict_a, strict_b = ca in ("<", ">"), cb in ("<", ">")
        if strict_a != strict_b:
            v = "a_stricter" if strict_a else "b_stricter"
            return Verdict(
                v, ratio, f"same value; {'A' if strict_a else 'B'} excludes the limit itself{note}"
            )
        return Verdict("equal", ratio, "same limit" + note)
    a_stricter = (va < vb) if lower_is_stricter else (va > vb)
    word = "maximum" if lower_is_stricter else "minimum"
    if a_stricter:
        return Verdict("a_stricter", ratio, f"A's {word} is {_times(va, vb)} B's{note}")
    return Verdict("b_stricter", ratio, f"B's {word} is {_times(vb, va)} A's{note}")


def _times(x: float, y: float) -> str:
    if y == 0 or x == 0:
        return "different from"
    r = x / y
    if r >= 1:
        return f"{r:.3g}× higher than"
    return f"{1 / r:.3g}× lower than"


def _ranges(
    alo: float | None, ahi: float | None, blo: float | None, bhi: float | None, note: str
) -> Verdict:
    if None in (alo, ahi, blo, bhi):
        return Verdict("not_comparable", reason="a range bound is missing")
    assert alo is not None and ahi is not None and blo is not None and bhi is not None
    wa, wb = ahi - alo, bhi - blo
    ratio = _ratio(wa, wb)
    if _close(alo, blo) and _close(ahi, bhi):
        return Verdict("equal", 1.0, "same range" + note)
    if blo - EPS <= alo and ahi <= bhi + EPS:
        return Verdict(
            "a_stricter", ratio, f"A's range {alo:g}–{ahi:g} lies within B's {blo:g}–{bhi:g}{note}"
        )
    if alo - EPS <= blo and bhi <= ahi + EPS:
        return Verdict(
            "b_stricter", ratio, f"B's range {blo:g}–{bhi:g} lies within A's {alo:g}–{ahi:g}{note}"
        )
    return Verdict(
        "not_comparable",
        ratio,
        f"ranges overlap only in part (A {alo:g}–{ahi:g}, B {blo:g}–{bhi:g}): each side is stricter at one end",
    )


def _range_vs_bound(
    a: Indicator,
    b: Indicator,
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
    inside = hi <= bound + EPS if bk == "max" else lo >= bound - EPS
    if inside:
        v = "a_stricter" if range_side == "A" else "b_stricter"
        return Verdict(
            v,
            None,
            f"{range_side}'s range {lo:g}–{hi:g} satisfies {other}'s limit and also bounds the other end{note}",
        )
    return Verdict(
        "not_comparable",
        reason=f"{range_side}'s range {lo:g}–{hi:g} and {other}'s single limit {bound:g} cross",
    )


def _with_not_detected(a: Indicator, b: Indicator, ka: str, kb: str) -> Verdict:
    if ka == kb == "nd":
        return Verdict("equal", None, "both require absence (not detected)")
    nd_side, other, ok = ("A", b, kb) if ka == "nd" else ("B", a, ka)
    other_side = "B" if nd_side == "A" else "A"
    if ok in ("max", "eq") and other.value is not None and other.value <= 0:
        return Verdict("equal", None, f"{other_side}'s limit of 0 is the same as not detected")
    if ok == "max":
        v = "a_stricter" if nd_side == "A" else "b_stricter"
        return Verdict(
            v, None, f"{nd_side} requires absence; {other_side} allows up to {other.describe()}"
        )
    return Verdict(
        "not_comparable", reason=f"{nd_side} requires absence, {other_side} sets {other.describe()}"
    )
