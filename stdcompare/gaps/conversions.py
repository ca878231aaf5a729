"""Bases of expression and the stated conversions between them.

A limit on nitrate may be expressed *as N* (以N计, в пересчёте на азот) or *as NO₃⁻*; the
numbers differ by the ratio of molar masses. stdcompare never converts between bases on its
own: two limits on different bases are ``not_comparable`` unless the user enables a stated
conversion, either by name (``"nitrate-N:NO3"``, listed in
``stdcompare/data/basis_conversions.csv``) or as a mapping ``{(basis_a, basis_b): factor}``
whose factor turns a value on basis B into one on basis A.

Basis spellings (``N``, ``nitrogen``, ``氮``, ``азота``, ``NO₃⁻``) are folded to short keys
(``n``, ``no3``) with the alias table ``stdcompare/data/bases.csv``.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from ..errors import UnknownChoice
from ..indicators.glossary import Glossary
from ..model import Indicator

_SUBSCRIPT = str.maketrans("₀₁₂₃₄₅₆₇₈₉⁻⁺²³", "0123456789-+23")
_CYR = re.compile(r"[а-яё]")


def fold_basis(text: str) -> str:
    """A short key for a basis spelling: ``"NO₃⁻"`` → ``"no3"``, ``"азота"`` → ``"n"``."""
    s = text.translate(_SUBSCRIPT)
    s = re.sub(r"[\s()（）\[\]\-+−]", "", s).strip(" .,;:，；。").lower()
    if not s:
        return ""
    aliases = _aliases()
    if s in aliases:
        return aliases[s]
    if _CYR.search(s):
        # Russian inflection: азота, азоту, нитратов, фосфора → the alias whose stem matches
        for alias, key in sorted(aliases.items(), key=lambda kv: -len(kv[0])):
            if _CYR.search(alias) and s.startswith(alias.rstrip("ьй")) and len(s) - len(alias) <= 3:
                return key
    return s


_WEIGHT_LABELS = {"dry": "dry weight", "wet": "wet weight", "fat": "fat basis"}


def basis_label(key: str) -> str:
    """A printable name for a basis key: ``"no3"`` → ``"NO3"``, ``"dry"`` → ``"dry weight"``."""
    if key in _WEIGHT_LABELS:
        return _WEIGHT_LABELS[key]
    return _labels().get(key, key.upper() if len(key) <= 5 and key.isascii() else key)


@functools.lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    text = resources.files("stdcompare.data").joinpath("bases.csv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for row in csv.DictReader(text.splitlines()):
        out.setdefault(row["key"].strip().lower(), row["alias"].strip())
    return out


@functools.lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    text = resources.files("stdcompare.data").joinpath("bases.csv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for row in csv.DictReader(text.splitlines()):
        alias = re.sub(r"\s+", "", row["alias"].translate(_SUBSCRIPT)).lower()
        out[alias] = row["key"].strip().lower()
    return out


@dataclass(frozen=True)
class BasisConversion:
    """A stated conversion: ``value on from_basis × factor = value on to_basis``.

    ``parameters`` are the glossary ids it applies to (empty: any parameter) and ``names``
    the parameter names used when an indicator has no glossary id. A limit that states no
    basis stands on its parameter's natural basis (:func:`natural_basis`: nitrate as NO₃⁻).
    """

    name: str
    from_basis: str
    to_basis: str
    factor: float
    parameters: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    note: str = ""
    from_label: str = ""
    to_label: str = ""

    def __post_init__(self) -> None:
        if not (self.factor > 0):
            raise ValueError(f"conversion {self.name!r}: factor must be positive")

    def applies_to(self, ind: Indicator, glossary: Glossary | None = None) -> bool:
        if not self.parameters:
            return True
        return _is_parameter(ind, self.parameters, self.names, glossary)

    def factor_into(self, basis_a: str, basis_b: str) -> float | None:
        """The factor turning a value on ``basis_b`` into one on ``basis_a`` (keys)."""
        if (basis_b, basis_a) == (self.from_basis, self.to_basis):
            return self.factor
        if (basis_a, basis_b) == (self.from_basis, self.to_basis):
            return 1.0 / self.factor
        return None

    def describe(self) -> str:
        fa, ta = self.from_label or self.from_basis, self.to_label or self.to_basis
        return f"{self.name} (as {fa} × {self.factor:.4g} = as {ta})"


@functools.lru_cache(maxsize=1)
def named_conversions() -> dict[str, BasisConversion]:
    """The stated conversions shipped with stdcompare, by name."""
    res = resources.files("stdcompare.data").joinpath("basis_conversions.csv")
    out: dict[str, BasisConversion] = {}
    for row in csv.DictReader(res.read_text(encoding="utf-8").splitlines()):
        factor = float(row["to_molar_mass"]) / float(row["from_molar_mass"])
        out[row["name"]] = BasisConversion(
            name=row["name"],
            from_basis=fold_basis(row["from_basis"]),
            to_basis=fold_basis(row["to_basis"]),
            factor=factor,
            parameters=tuple(p for p in row["parameters"].split("|") if p),
            names=tuple(n for n in row["names"].split("|") if n),
            note=row["note"],
            from_label=row["from_basis"],
            to_label=row["to_basis"],
        )
    return out


def _is_parameter(
    ind: Indicator, ids: tuple[str, ...], names: tuple[str, ...], glossary: Glossary | None
) -> bool:
    """Whether ``ind`` limits one of ``ids`` (or their children); by name when it has no id.

    A name matches only when no longer known name containing it matches too: 硝酸盐
    (nitrate) does not match 亚硝酸盐 (nitrite)."""
    pid = ind.parameter_id
    if pid:
        found = {pid, *(glossary.ancestors(pid) if glossary is not None else ())}
        return bool(found & set(ids))
    text = ind.parameter.lower()
    longer = _all_names()
    for name in names:
        n = name.lower()
        if n and n in text and not any(n in m and m != n and m in text for m in longer):
            return True
    return False


@functools.lru_cache(maxsize=1)
def _all_names() -> tuple[str, ...]:
    names = {n.lower() for c in named_conversions().values() for n in c.names}
    names |= {n.lower() for nb in _natural_rows() for n in nb[1]}
    return tuple(sorted(names))


@functools.lru_cache(maxsize=1)
def _natural_rows() -> tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...]:
    res = resources.files("stdcompare.data").joinpath("natural_bases.csv")
    out = []
    for row in csv.DictReader(res.read_text(encoding="utf-8").splitlines()):
        ids = tuple(p for p in row["parameters"].split("|") if p)
        names = tuple(n for n in row["names"].split("|") if n)
        out.append((ids, names, fold_basis(row["basis"])))
    return tuple(out)


def natural_basis(ind: Indicator, glossary: Glossary | None = None) -> str:
    """The basis a limit on this parameter is expressed on when it states none (nitrate:
    ``no3``, permanganate index: ``o2``), from ``stdcompare/data/natural_bases.csv``."""
    for ids, names, basis in _natural_rows():
        if _is_parameter(ind, ids, names, glossary):
            return basis
    return ""


ConversionsLike = Mapping[tuple[str, str], float] | Iterable["str | BasisConversion"] | str | None


def resolve_conversions(spec: ConversionsLike) -> tuple[BasisConversion, ...]:
    """Normalise what a user passes as ``conversions``.

    Accepts ``None``, a name or a list of names of :func:`named_conversions` (case-insensitive),
    :class:`BasisConversion` objects, or a mapping ``{(basis_a, basis_b): factor}`` where the
    factor turns a value on basis B into basis A (any parameter).
    """
    if spec is None:
        return ()
    if isinstance(spec, str):
        spec = [spec]
    out: list[BasisConversion] = []
    if isinstance(spec, Mapping):
        for key, factor in spec.items():
            if not (isinstance(key, tuple) and len(key) == 2):
                raise UnknownChoice("conversion key", str(key), ["(basis_a, basis_b)"])
            ka, kb = fold_basis(str(key[0])), fold_basis(str(key[1]))
            out.append(BasisConversion(f"{kb}->{ka}", kb, ka, float(factor)))
        return tuple(out)
    named = named_conversions()
    lower = {k.lower(): v for k, v in named.items()}
    for item in spec:
        if isinstance(item, BasisConversion):
            out.append(item)
            continue
        conv = lower.get(str(item).strip().lower())
        if conv is None:
            raise UnknownChoice("basis conversion", str(item), named)
        out.append(conv)
    return tuple(out)


def find_conversion(
    a: Indicator,
    b: Indicator,
    basis_a: str,
    basis_b: str,
    conversions: Iterable[BasisConversion],
    glossary: Glossary | None = None,
) -> tuple[BasisConversion, float] | None:
    """The first enabled conversion that links the two bases for these indicators."""
    for conv in conversions:
        if not (conv.applies_to(a, glossary) and conv.applies_to(b, glossary)):
            continue
        f = conv.factor_into(basis_a, basis_b)
        if f is not None:
            return conv, f
    return None


def suggest_conversion(
    a: Indicator, b: Indicator, basis_a: str, basis_b: str, glossary: Glossary | None = None
) -> BasisConversion | None:
    """A shipped conversion that would link the two bases, to name in a reason."""
    found = find_conversion(a, b, basis_a, basis_b, named_conversions().values(), glossary)
    return found[0] if found else None


def describe_conversions(spec: ConversionsLike) -> dict[str, float]:
    """``{name: factor}`` for the record (``Comparison.meta``)."""
    return {c.name: round(c.factor, 6) for c in resolve_conversions(spec)}
