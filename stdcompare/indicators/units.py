"""Units printed in standards, read through a pint registry extended for standards work.

The table of printed forms is ``stdcompare/data/units.csv`` (printed form → pint expression,
plus a qualifier such as ``m/m`` or ``V/V`` for fractions); extra pint definitions (CFU, MPN,
NTU, pH, dB(A) …) are in ``stdcompare/data/units.txt``.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..errors import ConversionError


@dataclass(frozen=True)
class UnitInfo:
    printed: str
    expr: str
    qualifier: str = ""


@functools.lru_cache(maxsize=1)
def registry() -> Any:
    """The shared pint UnitRegistry with stdcompare's definitions loaded."""
    import pint

    ureg: Any = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    defs = resources.files("stdcompare.data").joinpath("units.txt")
    with resources.as_file(defs) as path:
        ureg.load_definitions(str(path))
    return ureg


@functools.lru_cache(maxsize=1)
def _rows() -> tuple[UnitInfo, ...]:
    text = resources.files("stdcompare.data").joinpath("units.csv").read_text(encoding="utf-8")
    return tuple(
        UnitInfo(row["printed"], row["expr"], row.get("qualifier") or "")
        for row in csv.DictReader(text.splitlines())
    )


@functools.lru_cache(maxsize=1)
def unit_table() -> dict[str, UnitInfo]:
    """Printed unit → :class:`UnitInfo`, keyed by the normalised printed form."""
    table: dict[str, UnitInfo] = {}
    for info in _rows():
        table.setdefault(_key(info.printed), info)
    return table


def _key(unit: str) -> str:
    s = unit.strip().replace("μ", "µ").replace("（", "(").replace("）", ")")
    s = s.replace("³", "3").replace("²", "2").replace("·", "").replace("⁻¹", "-1")
    s = re.sub(r"\s+", "", s)
    return s.lower() if not re.fullmatch(r"[A-Za-z]+", s) or len(s) > 2 else s


@functools.lru_cache(maxsize=1)
def unit_pattern() -> re.Pattern[str]:
    """Regex matching any printed unit of the table (longest first), with flexible spaces."""
    forms = sorted({info.printed for info in _rows()}, key=len, reverse=True)
    alts = []
    for f in forms:
        esc = re.escape(f).replace(r"\ ", r"\s*")
        esc = esc.replace("µ", "[µμu]").replace("μ", "[µμu]")
        esc = esc.replace(r"\(", r"[(（]\s*").replace(r"\)", r"\s*[)）]")
        # a unit must not run on into a word: "m" must not match the "m" of "mean"
        tail = r"(?![A-Za-z\u0400-\u04ff])" if re.search(r"[A-Za-z\u0400-\u04ff]$", f) else ""
        head = r"(?<![A-Za-z\u0400-\u04ff])" if re.match(r"[A-Za-zµμ\u0400-\u04ff]", f) else ""
        alts.append(head + esc + tail)
    return re.compile("(?:" + "|".join(alts) + ")")


def lookup(printed: str) -> UnitInfo | None:
    """The table entry for a printed unit, or ``None`` when unknown."""
    if not printed:
        return None
    return unit_table().get(_key(printed))


def canonical(printed: str) -> str:
    """A canonical spelling used to test unit equality (``μg/l`` → ``ug/L``)."""
    info = lookup(printed)
    if info is None:
        return _key(printed)
    return info.expr + (f" ({info.qualifier})" if info.qualifier else "")


def comparable(u1: str, u2: str) -> tuple[bool, str]:
    """Whether values in ``u1`` and ``u2`` can be converted; else the reason, in words."""
    if _key(u1) == _key(u2):
        return True, ""
    i1, i2 = lookup(u1), lookup(u2)
    if i1 is None or i2 is None:
        unknown = u1 if i1 is None else u2
        return False, f"unit {unknown!r} is not known to stdcompare"
    if i1.qualifier and i2.qualifier and i1.qualifier != i2.qualifier:
        return False, f"{u1} is a {_qual(i1)} fraction, {u2} a {_qual(i2)} fraction"
    ureg = registry()
    q1, q2 = ureg.parse_expression(i1.expr), ureg.parse_expression(i2.expr)
    if q1.dimensionality != q2.dimensionality:
        return False, f"{u1} and {u2} measure different things (units cannot be converted)"
    return True, ""


def _qual(info: UnitInfo) -> str:
    return {"m/m": "mass", "V/V": "volume"}.get(info.qualifier, info.qualifier)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert ``value`` from one printed unit to another (``0.01, "mg/L", "µg/l"`` → 10)."""
    if _key(from_unit) == _key(to_unit):
        return value
    ok, why = comparable(from_unit, to_unit)
    if not ok:
        raise ConversionError(f"cannot convert {from_unit} to {to_unit}: {why}")
    ureg = registry()
    i1, i2 = lookup(from_unit), lookup(to_unit)
    assert i1 is not None and i2 is not None
    f1, f2 = ureg.parse_expression(i1.expr), ureg.parse_expression(i2.expr)
    q = ureg.Quantity(value * _magnitude(f1), _units(f1))
    return float(q.to(_units(f2)).magnitude) / _magnitude(f2)


def _magnitude(q: Any) -> float:
    return float(getattr(q, "magnitude", q))


def _units(q: Any) -> Any:
    return getattr(q, "units", "dimensionless")
