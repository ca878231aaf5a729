"""Units printed in standards, read through a pint registry extended for standards work.

The vocabulary is ``stdcompare/data/units.csv``: *atoms* (``mg``, ``мкг``, ``毫克``, ``dm``,
``КОЕ`` …) that a small grammar combines into compound units (``µg/m³``, ``мг/дм³``,
``mg NO3/kg``, ``µS cm-1``, ``mg per 100 g``, ``CFU/g（mL）``, ``MPN/100mL或CFU/100mL``), and
whole *forms* the grammar cannot build (``% (V/V)``, ``%（质量分数）``, ``% масс.``,
``pH units``, ``dB(A)``). Extra pint definitions (CFU, MPN, NTU, Thorner degrees, dB(A) …) are
in ``stdcompare/data/units.txt``. pint itself is imported only when values are converted.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..errors import ConversionError

_LETTER = "A-Za-zА-Яа-яЁёµμΩ"
_MASS = {"g", "mg", "ug", "ng", "pg", "kg"}
_VOLUME = {"L", "mL", "uL", "dL", "m**3", "dm**3", "cm**3", "mm**3"}
_EXP_MAP = {"²": "2", "³": "3", "¹": "1", "⁻¹": "-1", "⁻²": "-2", "⁻³": "-3"}


@dataclass(frozen=True)
class UnitInfo:
    """A printed unit read: its pint expression and fraction qualifier (``m/m``, ``V/V``, ``pH``)."""

    printed: str
    expr: str
    qualifier: str = ""


@dataclass(frozen=True)
class _Row:
    printed: str
    expr: str
    qualifier: str
    kind: str


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
def _rows() -> tuple[_Row, ...]:
    text = resources.files("stdcompare.data").joinpath("units.csv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return tuple(
        _Row(r["printed"], r["expr"], r.get("qualifier") or "", r.get("kind") or "form")
        for r in csv.DictReader(lines)
        if r.get("printed")
    )


@functools.lru_cache(maxsize=1)
def _atoms() -> dict[str, str]:
    return {r.printed: r.expr for r in _rows() if r.kind == "atom"}


@functools.lru_cache(maxsize=1)
def _forms() -> dict[str, UnitInfo]:
    out: dict[str, UnitInfo] = {}
    for r in _rows():
        if r.kind != "atom":
            out.setdefault(_key(r.printed), UnitInfo(r.printed, r.expr, r.qualifier))
    return out


def _key(unit: str) -> str:
    """Normalised printed form: µ/μ, brackets, superscripts and spaces folded."""
    s = unit.strip().replace("μ", "µ").replace("（", "(").replace("）", ")")
    s = s.replace("⁻¹", "-1").replace("⁻²", "-2").replace("⁻³", "-3")
    s = s.replace("³", "3").replace("²", "2").replace("·", "").replace("⋅", "")
    return re.sub(r"\s+", "", s)


def trie_regex(words: list[str]) -> str:
    """One regex alternation for many words with common prefixes factored out (a trie), so
    that hundreds of units compile small and match fast; a longer word wins over its prefix."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return "(?:" + build(trie) + ")" if words else r"(?!x)x"


@functools.lru_cache(maxsize=1)
def _den_atoms() -> dict[str, str]:
    """Atoms read only after a slash (Russian "с", seconds, is also a preposition)."""
    return {r.printed: r.expr for r in _rows() if r.kind == "den"}


@functools.lru_cache(maxsize=3)
def _atom_rx(denominator: bool = False, every: bool = False) -> str:
    atoms = list(_atoms())
    if denominator:  # "%" and "ppm" are never divisors: "A/%" is a symbol and a unit
        atoms = [a for a in atoms if _atoms()[a] not in ("percent", "permille", "ppm", "ppb")]
    if denominator or every:
        atoms += list(_den_atoms())
    return f"(?<![{_LETTER}]){trie_regex(atoms)}(?![{_LETTER}])"


_EXP = r"(?:⁻[¹²³]|[²³¹]|\^-?[123]|(?:\*\*)-?[123]|[-−][123](?![\d.,])|(?<=[mм])[23](?![\d.,]))?"
_NEG_EXP = r"(?:⁻[¹²³]|[-−][123](?![\d.,]))"
_NUM_IN_UNIT = r"(?:\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:[.,]\d+)?"
_DEN_NUM = _NUM_IN_UNIT + r"\s*"
# a chemical species or a word printed inside a unit: "mg NO3/kg", "мг КОН/г",
# "ммоль активного кислорода/кг", "milli-equivalents acid per 1 000 grams"
_SPECIES = (
    r"(?:[A-ZА-Я][A-Za-zА-Я]?[0-9₀-₉]*(?:[A-ZА-Я][a-z]?[0-9₀-₉]*)*"
    r"|[а-яё]{3,}(?:\s+[а-яё]{3,})?|acid|oxygen)"
)


@functools.lru_cache(maxsize=1)
def _grammar() -> str:
    atom = _atom_rx()
    term = atom + _EXP
    dterm = _atom_rx(True) + _EXP
    den = rf"(?:[(（]\s*(?:{_DEN_NUM})?{dterm}\s*[)）]|(?:{_DEN_NUM})?{dterm})"
    div = rf"(?:\s*/\s*{den}|\s+per\s+{den})"
    mul = rf"(?:\s*[·⋅*]\s*{term}|\s+{atom}{_NEG_EXP})"
    species = rf"(?:\s+{_SPECIES}(?=\s*/|\s+per\s))?"
    simple = rf"{term}{species}(?:{div}|{mul})*"
    alt = rf"(?:\s*(?:或|\bor\b|\bили\b)\s*{simple}|\s*[(（]\s*{atom}\s*[)）])"
    forms = sorted({r.printed for r in _rows() if r.kind == "form"}, key=len, reverse=True)
    form_alts = []
    for f in forms:
        g = f.replace("（", "(").replace("）", ")")
        esc = re.escape(g).replace(r"\ ", r"\s*")
        esc = esc.replace("µ", "[µμ]").replace("μ", "[µμ]")
        esc = esc.replace(r"\(", r"[(（]\s*").replace(r"\)", r"\s*[)）]")
        form_alts.append(esc)
    forms_rx = f"(?<![{_LETTER}])(?:" + "|".join(form_alts) + f")(?![{_LETTER}])"
    # forms first: "% (V/V)" before "%", "dB(A)" before "dB" with an "(A)" alternative
    return rf"(?:{forms_rx}|{simple}{alt}*)"


@functools.lru_cache(maxsize=1)
def unit_pattern() -> re.Pattern[str]:
    """Regex matching one printed unit (simple, compound, or a whole form)."""
    return re.compile(_grammar())


def match_unit(text: str, pos: int = 0) -> re.Match[str] | None:
    """The unit printed at ``pos`` of ``text`` (spaces before it skipped by the caller)."""
    m = unit_pattern().match(text, pos)
    if m is None:
        return None
    # a unit never ends inside a word or a number ("5 ml." is fine, "5 mlx" is not)
    return m


# --- reading a printed unit into a pint expression -------------------------------------------


@functools.lru_cache(maxsize=1)
def _token_rx() -> re.Pattern[str]:
    return re.compile(
        rf"(?P<num>{_NUM_IN_UNIT})|(?P<atom>{_atom_rx(every=True)})(?P<exp>{_EXP})"
        r"|(?P<op>[/·⋅*])|(?P<per>\bper\b)|(?P<sp>\s+)|(?P<open>[(（])|(?P<close>[)）])"
    )


def _exp_of(raw: str) -> int:
    s = raw.replace("^", "").replace("**", "").replace("−", "-")
    s = _EXP_MAP.get(s, s)
    return int(s) if s else 1


@functools.lru_cache(maxsize=4096)
def lookup(printed: str) -> UnitInfo | None:
    """The reading of a printed unit, or ``None`` when it is not a unit stdcompare knows."""
    if not printed or not printed.strip():
        return None
    form = _forms().get(_key(printed))
    if form is not None:
        return UnitInfo(printed, form.expr, form.qualifier)
    s = printed.strip()
    s = re.split(r"\s*(?:或|\bor\b|\bили\b)\s*", s)[0]  # the first of alternatives
    s = re.sub(r"\s*[(（]\s*[^()（）\d]{1,4}\s*[)）]\s*$", "", s)  # "CFU/g（mL）", "мг/кг (л)"
    s = re.sub(r"\s+" + _SPECIES + r"(?=\s*/|\s+per\s)", "", s, count=1)  # "mg NO3/kg", "мг КОН/г"
    factors: list[tuple[str, int]] = []  # (pint expr, power sign)
    dims: list[tuple[str, int]] = []
    sign, pending_num = 1, ""
    pos = 0
    rx = _token_rx()
    while pos < len(s):
        m = rx.match(s, pos)
        if m is None or m.end() == pos:
            return None
        pos = m.end()
        if m.group("num"):
            if sign > 0:
                return None  # a number belongs only after "/" or "per"
            pending_num = re.sub(r"[ \u00a0]", "", m.group("num")).replace(",", ".")
        elif m.group("atom"):
            expr = _atoms().get(m.group("atom")) or _den_atoms()[m.group("atom")]
            power = _exp_of(m.group("exp") or "")
            where = -1 if power < 0 else sign
            if expr in ("m", "dm", "cm", "mm") and abs(power) == 3:
                dims.append(("volume", where))
            elif expr in _MASS:
                dims.append(("mass", where))
            elif expr in _VOLUME:
                dims.append(("volume", where))
            term = f"{expr}**{abs(power)}" if abs(power) != 1 else expr
            if power < 0:
                factors.append((term, -1))
            else:
                factors.append((f"({pending_num}*{term})" if pending_num else term, sign))
            pending_num = ""
        elif m.group("op") in ("/",) or m.group("per"):
            sign = -1
        elif m.group("op"):
            sign = 1
    if not factors:
        return None
    num = "*".join(f for f, sg in factors if sg > 0) or "1"
    den = [f for f, sg in factors if sg < 0]
    expr = num + ("/" + "/".join(den) if den else "")
    qualifier = ""
    top = [d for d, sg in dims if sg > 0]
    bottom = [d for d, sg in dims if sg < 0]
    if top and bottom and top[0] == bottom[0] == "mass":
        qualifier = "m/m"
    elif top and bottom and top[0] == bottom[0] == "volume":
        qualifier = "V/V"
    return UnitInfo(printed, expr, qualifier)


def is_ph(printed: str) -> bool:
    """Whether the unit is pH or "pH units" (recorded as dimensionless)."""
    info = lookup(printed)
    return info is not None and info.qualifier == "pH"


def canonical(printed: str) -> str:
    """A canonical spelling used to test unit equality (``μg/l`` → ``ug/L``)."""
    info = lookup(printed)
    if info is None:
        return _key(printed)
    return info.expr + (f" ({info.qualifier})" if info.qualifier else "")


def _quantity(info: UnitInfo) -> Any:
    ureg = registry()
    try:
        return ureg.parse_expression(info.expr)
    except Exception as exc:  # pint raises several error types for an unknown expression
        raise ConversionError(
            f"unit {info.printed!r} (read as {info.expr!r}) is not known to pint: {exc}"
        ) from exc


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
    try:
        q1, q2 = _quantity(i1), _quantity(i2)
    except ConversionError as exc:
        return False, str(exc)
    if getattr(q1, "dimensionality", {}) != getattr(q2, "dimensionality", {}):
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
    f1, f2 = _quantity(i1), _quantity(i2)
    q = ureg.Quantity(value * _magnitude(f1), _units(f1))
    return float(q.to(_units(f2)).magnitude) / _magnitude(f2)


def same_unit(u1: str, u2: str) -> bool:
    """Whether two printed units are the same unit (``µg/l`` = ``μg/L``, ``мг/дм³`` = ``mg/L``,
    ``℃`` = ``°C``); pH units count as no unit."""
    a = "" if (u1 and is_ph(u1)) else (u1 or "").strip()
    b = "" if (u2 and is_ph(u2)) else (u2 or "").strip()
    if not a or not b:
        return not a and not b
    if _key(a) == _key(b):
        return True
    i1, i2 = lookup(a), lookup(b)
    if i1 is None or i2 is None or i1.qualifier != i2.qualifier:
        return False
    if i1.expr == i2.expr:
        return True
    try:
        return math.isclose(convert(1.0, a, b), 1.0, rel_tol=1e-9)
    except ConversionError:
        return False


def _magnitude(q: Any) -> float:
    return float(getattr(q, "magnitude", q))


def _units(q: Any) -> Any:
    return getattr(q, "units", "dimensionless")
