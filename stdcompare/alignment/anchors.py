"""Language-independent anchors of a text, and their fuzzy agreement between two documents.

An anchor is something a translation keeps: numbers, quantities (converted to base units, so
``0,01 mg/L`` meets ``10 µg/l``), units, chemical symbols and formulas, standard codes, INS/E
numbers of food additives, references to clauses, tables and annexes, and glossary concept
ids. Each text becomes a bag of typed tokens (``q:…``, ``sym:Pb``, ``code:GB/T 5750`` …).

Agreement between two bags is a *soft cosine*: tokens are weighted by type and by inverse
document frequency over both documents (a unit printed in every clause says little), and
string-like tokens (codes, references) that are not equal but close — ``GB/T 5750.5`` and
``GB/T 5750`` — count in proportion to their rapidfuzz similarity.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..indicators.glossary import Glossary

# --- token types and their weights ----------------------------------------------------------------

#: Weight of each anchor type in the agreement score (concepts are scored separately).
TYPE_WEIGHTS: dict[str, float] = {
    "q": 2.0,  # quantity with unit, in base units
    "n": 0.8,  # bare number
    "u": 0.3,  # unit
    "sym": 1.5,  # chemical symbol or formula
    "code": 1.5,  # standard / regulation code
    "ins": 2.0,  # INS / E number
    "ref": 0.7,  # reference to a table, annex, clause, article
}
#: Types whose near-equal strings count as partial matches.
FUZZY_TYPES = frozenset({"code", "ref"})
#: Minimum rapidfuzz ratio (0–100) for two different tokens of a fuzzy type to count at all.
FUZZY_CUTOFF = 85.0

# --- chemical elements ------------------------------------------------------------------------------

_ELEMENT_SYMBOLS = """H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As
    Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd
    Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am
    Cm Bk Cf Es Fm Md No Lr"""
_ELEMENTS = frozenset(_ELEMENT_SYMBOLS.split())
# Two-letter symbols that are also common English/Latin words or abbreviations: in English
# text they count only inside a formula or with a valence (Cr(VI)), never alone.
_AMBIGUOUS_TEXT = (
    "As In Be No At He Am Es Pa Po Co Mo Re Ca Ti Ag Ga Ge Ho La Li Lu Os Sc Sm Tb Ta Te Ba Pr "
    "Nd Md Db Ce Eu Er Fr Ir Ra Ac Th Np Cf Bk Pm Tm Nb Rh Ru Tc Hf Bi Ne Rn Xe Kr Ar Cs Sr Rb "
    "Zr Pt Au Gd Dy Yb Fm Lr Cm Pu"
)
_AMBIGUOUS_EN = frozenset(_AMBIGUOUS_TEXT.split())
_FORMULA = re.compile(
    r"(?<![A-Za-z0-9])((?:[A-Z][a-z]?\d{0,3}){1,6})"
    r"(\s?\((?:I{1,3}|IV|V|VI{1,3})\)|\d?[+-](?![\d.]))?(?![A-Za-z0-9])"
)
_ELEMENT_PIECE = re.compile(r"([A-Z][a-z]?)(\d*)")
_ROMAN = re.compile(r"[IVXLC]+")


def _chem(text: str, lang: str) -> list[str]:
    out = []
    for m in _FORMULA.finditer(text):
        body, charge = m.group(1), (m.group(2) or "").replace(" ", "")
        pieces = _ELEMENT_PIECE.findall(body)
        if not pieces or "".join(s + d for s, d in pieces) != body:
            continue
        if any(sym not in _ELEMENTS for sym, _ in pieces):
            continue
        if _ROMAN.fullmatch(body) and not charge:
            continue
        has_digit = any(d for _, d in pieces)
        if body.isupper() and len(body) > 1 and not has_digit and not charge:
            continue  # an all-caps word (NOTE, BY, ON) parses as elements but is not a formula
        if len(pieces) == 1 and not has_digit and not charge:
            sym = pieces[0][0]
            if len(sym) == 1 or (lang == "en" and sym in _AMBIGUOUS_EN):
                continue
        out.append(body + charge)
    return out


# --- standard codes -----------------------------------------------------------------------------

_CODE_PREFIX = (
    r"GB/T|GB/Z|GBZ|GB|HJ|SN/T|NY/T|QB/T|SH/T|SY/T|YY/T|YY|WS/T|WS|JJG|JJF|LS/T|SB/T|DB\d{2}(?:/T)?"
    r"|ISO/IEC|ISO/TS|ISO/TR|ISO|IEC|EN\s?ISO|EN|CEN/TS|CXS|CXG|CAC/GL|CAC/RCP|CAC/MRL|CODEX\s?STAN"
    r"|ASTM\s?[A-Z]|AOAC|DIN|BS|NF|JIS\s?[A-Z]|OIML\s?[RD]|IP"
    r"|ГОСТ\s?Р\s?ИСО|ГОСТ\s?ISO|ГОСТ\s?Р|ГОСТ|GOST\s?R|GOST|СТ\s?РК|СТБ|ТР\s?ТС|TR\s?CU|ТР\s?ЕАЭС"
    r"|TR\s?EAEU|СанПиН|СП|МУК|РД"
)
_CODE = re.compile(
    rf"(?<![A-Za-zА-Яа-я])(?P<prefix>{_CODE_PREFIX})\s*(?:No\.?\s*|№\s*)?"
    r"(?P<num>\d+(?:[./]\d+)*(?:-\d+)?)(?:\s*[:—–-]\s*(?P<year>(?:19|20)\d{2}))?"
)
_ACT = re.compile(
    r"(?P<kind>Directive|Regulation|Decision|Директив\w*|Регламент\w*|Решени\w*)\s*"
    r"(?:\((?P<org>EU|EC|EEC|ЕС|ЕЭС)\)\s*)?(?:No\.?\s*|№\s*)?(?P<num>\d{2,4}/\d{1,4}(?:/\w+)?)",
    re.IGNORECASE,
)
_CYR_PREFIX = {
    "ГОСТРИСО": "GOST R ISO",
    "ГОСТISO": "GOST ISO",
    "ГОСТР": "GOST R",
    "ГОСТ": "GOST",
    "GOSTR": "GOST R",
    "СТРК": "ST RK",
    "СТБ": "STB",
    "ТРТС": "TR CU",
    "TRCU": "TR CU",
    "ТРЕАЭС": "TR EAEU",
    "TREAEU": "TR EAEU",
    "СанПиН": "SanPiN",
    "СП": "SP",
    "МУК": "MUK",
    "РД": "RD",
    "ENISO": "EN ISO",
    "CODEXSTAN": "CXS",
}


def _codes(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _CODE.finditer(text):
        raw = re.sub(r"\s+", "", m.group("prefix"))
        prefix = _CYR_PREFIX.get(raw, raw)
        num = m.group("num")
        out.append(f"{prefix} {num}")
        spans.append(m.span())
    for m in _ACT.finditer(text):
        out.append(f"act {m.group('num').split('/')[0]}/{m.group('num').split('/')[1]}")
        spans.append(m.span())
    return out, spans


# --- INS / E numbers --------------------------------------------------------------------------------

_INS = re.compile(
    r"(?:(?<![A-Za-z])INS\s*(?:No\.?|号|№)?\s*|(?<![A-Za-zА-Яа-я0-9])[EЕ]\s?(?=[1-9]\d{2,3}))"
    r"(?P<n>[1-9]\d{2,3}[a-z]?(?:\s?\((?:i{1,3}|iv|v|vi{0,3})\))?)"
)


def _ins(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    out, spans = [], []
    for m in _INS.finditer(text):
        out.append(m.group("n").replace(" ", ""))
        spans.append(m.span())
    return out, spans


# --- references to structure -----------------------------------------------------------------

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_CYR_LETTERS = "АБВГДЕЖИКЛМНПРСТУФХЦШЩЭЮЯ"  # GOST annex letters (Ё, З, Й, О, Ч, Ъ, Ы, Ь skipped)


def zh_number(s: str) -> int | None:
    """二十三 → 23, 十 → 10, 一百零五 → 105; ``None`` if not a Chinese numeral."""
    if not s or any(ch not in _ZH_DIGITS and ch not in "十百千" for ch in s):
        return None
    total, cur = 0, 0
    for ch in s:
        if ch in _ZH_DIGITS:
            cur = _ZH_DIGITS[ch]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (cur or 1) * unit
            cur = 0
    return total + cur


def _roman(s: str) -> int | None:
    s = s.upper()
    if not s or not _ROMAN.fullmatch(s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN_VALUES[ch]
        total += -v if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > v else v
    return total


def ordinal(label: str) -> str:
    """Annex/part labels as an ordinal: ``A``/``I``/``1``/``А`` (Cyrillic) → ``1``."""
    s = label.strip().rstrip(".").upper()
    if s.isdigit():
        return str(int(s))
    if len(s) == 1 and "A" <= s <= "Z":
        # a lone I, V or X after "Annex" is read as a letter only if not Roman-looking
        return str(ord(s) - ord("A") + 1) if s not in "IVX" else str(_roman(s))
    if len(s) == 1 and s in _CYR_LETTERS:
        return str(_CYR_LETTERS.index(s) + 1)
    r = _roman(s)
    if r is not None:
        return str(r)
    z = zh_number(s)
    return str(z) if z is not None else s.lower()


_N = r"[0-9]+|[一二三四五六七八九十百零〇两]+"
_REF_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("table", re.compile(r"(?:\bTable|\bTab\.|表|\bТаблиц[аеыу]?)\s*([A-ZА-Я]?\.?\d+(?:\.\d+)?)", re.IGNORECASE)),
    ("figure", re.compile(r"(?:\bFigure|\bFig\.|图|\bРисун(?:ок|ке|ка))\s*([A-ZА-Я]?\.?\d+(?:\.\d+)?)")),
    ("annex", re.compile(r"(?:\bAnnex|\bAppendix|附录|附件|\bПриложени[еяи])\s*([A-ZА-Я](?![A-Za-zА-Яа-я])|[IVX]+(?![A-Za-z])|\d+)", re.IGNORECASE)),
    ("article", re.compile(rf"(?:\bArticle|\bArt\.|\bСтать[яи]|\bст\.)\s*(\d+)|第\s*({_N})\s*条", re.IGNORECASE)),
    ("clause", re.compile(rf"(?:\bclause|\bsubclause|\bsection|\bпункт[аеу]?|\bп\.|\bраздел[аеу]?|\bподпункт[аеу]?)\s*(\d+(?:\.\d+)*)|第\s*({_N})\s*章|(?<![\d.])(\d+\.\d+\.\d+(?:\.\d+)*)(?![\d.])", re.IGNORECASE)),
)  # fmt: skip


def _refs(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    out, spans = [], []
    for kind, rx in _REF_PATTERNS:
        for m in rx.finditer(text):
            label = next((g for g in m.groups() if g), "")
            if not label:
                continue
            if kind in ("table", "figure"):
                value = label.replace(" ", "").lower()
            elif kind == "clause" and "." in label:
                value = label
            else:
                value = ordinal(label)
            out.append(f"{kind} {value}")
            spans.append(m.span())
    return out, spans


# --- clause ids --------------------------------------------------------------------------------

_FRONT = {
    "foreword": ("foreword", "前言", "предисловие", "preface"),
    "introduction": ("introduction", "引言", "введение"),
    "scope": ("scope", "范围", "область применения"),
    "bibliography": ("bibliography", "参考文献", "библиография"),
    "terms": ("terms and definitions", "术语和定义", "термины и определения"),
    "references": ("normative references", "规范性引用文件", "нормативные ссылки"),
}


def normalise_clause_id(cid: str) -> str:
    """A language-independent form of a clause id, for comparing numbering across languages.

    ``4.1.2`` → ``4.1.2``; ``Article 5``/``Статья 5``/``第五条`` → ``article 5``;
    ``ANNEX I``/``附录A``/``Приложение А``/``Annex A`` → ``annex 1``; ``A.2``/``А.2`` → ``annex 1.2``;
    ``前言``/``Foreword``/``Предисловие`` → ``foreword``.
    """
    s = " ".join(cid.split()).strip()
    low = s.lower()
    for key, names in _FRONT.items():
        if low in names:
            return key
    m = re.fullmatch(r"(?:article|art\.|статья|ст\.)\s*(\d+)(.*)", low)
    if m:
        return f"article {int(m.group(1))}{_tail(m.group(2))}"
    m = re.fullmatch(rf"第\s*({_N})\s*条", s)
    if m:
        return f"article {ordinal(m.group(1))}"
    m = re.fullmatch(rf"第\s*({_N})\s*章", s)
    if m:
        return ordinal(m.group(1))
    m = re.fullmatch(
        r"(?:annex|appendix|附录|附件|приложение)\s*([A-Za-zА-Яа-я]|[IVXivx]+|\d+)(.*)",
        s,
        re.IGNORECASE,
    )
    if m:
        return f"annex {ordinal(m.group(1))}{_tail(m.group(2))}"
    m = re.fullmatch(r"(?:part|часть|部分)\s*([A-Za-zА-Яа-я]|[IVXivx]+|\d+)", s, re.IGNORECASE)
    if m:
        return f"part {ordinal(m.group(1))}"
    m = re.fullmatch(r"([A-Za-zА-Яа-я])\.(\d+(?:\.\d+)*)", s)
    if m:
        return f"annex {ordinal(m.group(1))}.{m.group(2)}"
    m = re.fullmatch(r"(\d+(?:\.\d+)*)\.?", s)
    if m:
        return ".".join(str(int(x)) for x in m.group(1).split("."))
    return low


def _tail(rest: str) -> str:
    nums = re.findall(r"\d+", rest)
    return ("." + ".".join(nums)) if nums else ""


# --- numbers and quantities -----------------------------------------------------------------------

_DATE = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}[-–/.]\d{1,2}[-–/.]\d{1,2}"
    r"|\d{1,2}[./]\d{1,2}[./]\d{4}|\d{1,2}\s+(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December|января|февраля|марта|апреля|мая|июня|июля|"
    r"августа|сентября|октября|ноября|декабря)\s+\d{4}",
    re.IGNORECASE,
)
_LIST_MARK = re.compile(
    r"(?m)^\s*(?:\(\d{1,2}\)|\d{1,2}[.)](?!\d)|[（(][一二三四五六七八九十]+[)）]"
    r"|[A-ZА-Я]?\.?\d{1,2}(?:\.\d{1,2})+(?![\d.,]))"
)


@functools.lru_cache(maxsize=4096)
def _base_factor(unit: str) -> tuple[float, str] | None:
    """(factor to base units, dimension key) of a printed unit, via the pint registry."""
    try:
        from ..indicators import units as U

        info = U.lookup(unit)
        if info is None:
            return None
        ureg = U.registry()
        q = ureg.parse_expression(info.expr)
        base = (1.0 * q).to_base_units()
        qual = f"({info.qualifier})" if getattr(info, "qualifier", "") else ""
        return float(base.magnitude), str(base.units) + qual
    except Exception:  # pragma: no cover - units table being extended; anchors must not fail
        return None


@functools.lru_cache(maxsize=1)
def _unit_rx() -> re.Pattern[str] | None:
    try:
        from ..indicators.units import unit_pattern

        return unit_pattern()
    except Exception:  # pragma: no cover
        return None


def _sig(x: float, digits: int = 3) -> str:
    if x == 0 or not math.isfinite(x):
        return "0"
    return f"{float(f'{x:.{digits}g}'):g}"


def _numbers(text: str, lang: str) -> tuple[list[str], list[str], list[str]]:
    """Bare numbers, quantities in base units, canonical units."""
    from ..indicators.numbers import NUM_RE, value_of

    nums, quants, units = [], [], []
    urx = _unit_rx()
    for m in NUM_RE.finditer(text):
        try:
            v = value_of(m, lang)
        except (ValueError, OverflowError):
            continue
        if not math.isfinite(v):
            continue
        after = text[m.end() : m.end() + 24]
        um = urx.match(after.lstrip()) if urx is not None else None
        if um is not None and um.group(0).strip():
            u = um.group(0).strip()
            f = _base_factor(u)
            if f is not None:
                quants.append(f"{_sig(v * f[0])} {f[1]}")
                units.append(f[1])
                continue
        nums.append(_sig(v, 6))
    if urx is not None:
        for um in urx.finditer(text):
            printed = um.group(0).strip()
            if "/" not in printed:
                continue  # a bare letter (A, m, g) far from any number says nothing
            f = _base_factor(printed)
            if f is not None:
                units.append(f[1])
    return nums, quants, units


# --- the anchors of a text ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchors:
    """Typed anchor tokens of one text (``tokens``) and its glossary concepts."""

    tokens: frozenset[str]
    concepts: frozenset[str]

    def of(self, kind: str) -> set[str]:
        prefix = kind + ":"
        return {t[len(prefix) :] for t in self.tokens if t.startswith(prefix)}

    def __bool__(self) -> bool:
        return bool(self.tokens or self.concepts)


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def extract_anchors(text: str, lang: str, glossary: Glossary | None = None) -> Anchors:
    """All anchors of ``text`` (written in ``lang``); concepts need a glossary."""
    toks: list[str] = []
    codes, s1 = _codes(text)
    ins, s2 = _ins(text)
    refs, s3 = _refs(text)
    dates = [m.span() for m in _DATE.finditer(text)]
    marks = [m.span() for m in _LIST_MARK.finditer(text)]
    rest = _blank(text, [*s1, *s2, *s3, *dates, *marks])
    toks += ["code:" + c for c in codes]
    toks += ["ins:" + c for c in ins]
    toks += ["ref:" + c for c in refs]
    toks += ["sym:" + c for c in _chem(rest, lang)]
    nums, quants, units = _numbers(rest, lang)
    toks += ["n:" + c for c in nums]
    toks += ["q:" + c for c in quants]
    toks += ["u:" + c for c in units]
    concepts: frozenset[str] = frozenset()
    if glossary is not None and len(glossary):
        concepts = frozenset(m.concept_id for m in glossary.find(text))
    return Anchors(frozenset(toks), concepts)


# --- agreement ---------------------------------------------------------------------------------------


def _matrix(
    bags: Sequence[Iterable[str]], vocab: dict[str, int], weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows, cols = [], []
    for i, bag in enumerate(bags):
        for t in bag:
            rows.append(i)
            cols.append(vocab[t])
    r = np.asarray(rows, dtype=np.int64)
    c = np.asarray(cols, dtype=np.int64)
    return r, c, weights[c] if len(c) else np.zeros(0)


def soft_cosine(
    a: Sequence[Iterable[str]],
    b: Sequence[Iterable[str]],
    *,
    type_weights: dict[str, float] | None = None,
    fuzzy_types: frozenset[str] = FUZZY_TYPES,
    cutoff: float = FUZZY_CUTOFF,
    saturation: float = 2.5,
    containment: bool = False,
) -> np.ndarray:
    """Agreement (0..1) of every bag of ``a`` with every bag of ``b``.

    With ``containment`` the shared weight is divided by the smaller bag's instead of the
    geometric mean (the overlap coefficient): a part of Annex I naming two microbes is wholly
    inside a clause whose tables name a hundred parameters.

    Tokens are ``type:value``; each weighs its type weight × its inverse document frequency
    over all bags of both sides. Different tokens of a fuzzy type count as a partial match
    scaled by their rapidfuzz ratio when it is at least ``cutoff``. The cosine is scaled down
    when the shared weight is below ``saturation``: two clauses that share only a unit printed
    everywhere agree less than two that share a rare quantity.
    """
    from scipy import sparse

    na, nb = len(a), len(b)
    out = np.zeros((na, nb), dtype=np.float32)
    if na == 0 or nb == 0:
        return out
    sa = [set(x) for x in a]
    sb = [set(x) for x in b]
    df: dict[str, int] = {}
    for bag in (*sa, *sb):
        for t in bag:
            df[t] = df.get(t, 0) + 1
    if not df:
        return out
    vocab = {t: k for k, t in enumerate(df)}
    n = na + nb
    tw = type_weights or TYPE_WEIGHTS
    w = np.array(
        [tw.get(t.split(":", 1)[0], 1.0) * (math.log((n + 1) / (df[t] + 1)) + 1.0) for t in vocab],
        dtype=np.float64,
    )
    v = len(vocab)
    ra, ca, wa = _matrix(sa, vocab, w)
    rb, cb, wb = _matrix(sb, vocab, w)
    xa = sparse.csr_matrix((wa, (ra, ca)), shape=(na, v))
    xb = sparse.csr_matrix((wb, (rb, cb)), shape=(nb, v))
    sim = _fuzzy_vocab(list(vocab), fuzzy_types, cutoff)
    num = np.asarray((xa @ sim @ xb.T).todense(), dtype=np.float64)
    norm_a = np.sqrt(np.asarray(xa.multiply(xa @ sim).sum(axis=1)).ravel())
    norm_b = np.sqrt(np.asarray(xb.multiply(xb @ sim).sum(axis=1)).ravel())
    den = np.minimum.outer(norm_a**2, norm_b**2) if containment else np.outer(norm_a, norm_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
    if saturation > 0:
        out = out * np.minimum(1.0, np.sqrt(np.maximum(num, 0.0)) / saturation)
    return np.clip(out, 0.0, 1.0).astype(np.float32)


def _fuzzy_vocab(vocab: list[str], fuzzy_types: frozenset[str], cutoff: float) -> object:
    """Sparse token-similarity matrix: identity plus rapidfuzz near-matches within a type."""
    from scipy import sparse

    v = len(vocab)
    rows, cols, vals = list(range(v)), list(range(v)), [1.0] * v
    by_type: dict[str, list[int]] = {}
    for k, t in enumerate(vocab):
        kind = t.split(":", 1)[0]
        if kind in fuzzy_types:
            by_type.setdefault(kind, []).append(k)
    if by_type:
        from rapidfuzz import fuzz, process

        for idx in by_type.values():
            if len(idx) < 2:
                continue
            names = [vocab[k].split(":", 1)[1] for k in idx]
            m = process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=cutoff, workers=1)
            ii, jj = np.nonzero(m)
            for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
                if i != j and _same_family(names[i], names[j]):
                    rows.append(idx[i])
                    cols.append(idx[j])
                    vals.append(float(m[i, j]) / 100.0 * 0.8)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(v, v))


def _same_family(x: str, y: str) -> bool:
    """Near-equal strings count only with the same prefix and the same leading number
    (``GB/T 5750.5`` ~ ``GB/T 5750``, but not ``GB 2762`` ~ ``GB 2763``; ``table 1`` ≠ ``table 7``)."""
    px, _, nx = x.partition(" ")
    py, _, ny = y.partition(" ")
    if px != py:
        return False
    lead_x = re.match(r"\d+", nx)
    lead_y = re.match(r"\d+", ny)
    return bool(lead_x and lead_y and lead_x.group(0) == lead_y.group(0))


#: Anchor types that mean the same thing in two different documents. References to a
#: document's own tables, annexes and clauses do not (Annex A of a GB standard is not Annex I
#: of an EU regulation); they count only through clause-number agreement of parallel texts.
CONTENT_TYPES = frozenset({"q", "n", "u", "sym", "code", "ins"})


def anchor_agreement(
    a: Sequence[Anchors],
    b: Sequence[Anchors],
    types: frozenset[str] = CONTENT_TYPES,
    *,
    containment: bool = False,
) -> np.ndarray:
    """Soft-cosine agreement (or containment) of the content anchors of every pair."""

    def keep(x: Anchors) -> list[str]:
        return [t for t in x.tokens if t.split(":", 1)[0] in types]

    return soft_cosine([keep(x) for x in a], [keep(x) for x in b], containment=containment)


def concept_agreement(
    a: Sequence[Anchors],
    b: Sequence[Anchors],
    glossary: Glossary | None = None,
    *,
    containment: bool = False,
) -> np.ndarray:
    """Agreement of glossary concepts; a concept also stands (at half weight) for its root,
    so a clause on Cr(VI) partly agrees with one on chromium."""

    def bag(x: Anchors) -> list[str]:
        out = ["c:" + c for c in x.concepts]
        if glossary is not None:
            out += ["r:" + glossary.root(c) for c in x.concepts]
        return out

    return soft_cosine(
        [bag(x) for x in a],
        [bag(x) for x in b],
        type_weights={"c": 1.0, "r": 0.5},
        fuzzy_types=frozenset(),
        containment=containment,
    )


def concept_cover(a: Sequence[Anchors], b: Sequence[Anchors], min_shared: int = 3) -> np.ndarray:
    """How far the concepts of the clause with fewer concepts are among the other's (0..1):
    the share of the smaller set found in the larger, scaled down while fewer than
    ``min_shared`` concepts are shared. A part of Annex I listing eighteen indicator
    parameters, twelve of which are rows of a GB clause's tables, is largely inside that
    clause (0.67); a clause naming pH once is not "inside" a table of eighteen parameters
    (1 of 2 shared: 0.17) — containment of a tiny set is no evidence."""
    from scipy import sparse

    na, nb = len(a), len(b)
    if not na or not nb:
        return np.zeros((na, nb))
    vocab: dict[str, int] = {}
    rows_a = [(i, vocab.setdefault(c, len(vocab))) for i, x in enumerate(a) for c in x.concepts]
    rows_b = [(j, vocab.setdefault(c, len(vocab))) for j, x in enumerate(b) for c in x.concepts]
    if not rows_a or not rows_b:
        return np.zeros((na, nb))
    v = len(vocab)

    def incidence(rows: list[tuple[int, int]], n: int) -> sparse.csr_matrix:
        r, c = zip(*rows, strict=True)
        return sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(n, v))

    ma, mb = incidence(rows_a, na), incidence(rows_b, nb)
    shared = np.asarray((ma @ mb.T).todense(), dtype=np.float64)
    size_a = np.asarray(ma.sum(axis=1)).ravel()
    size_b = np.asarray(mb.sum(axis=1)).ravel()
    smaller = np.maximum(np.minimum.outer(size_a, size_b), 1.0)
    return np.asarray(shared / smaller * np.minimum(1.0, shared / max(1, min_shared)))


def clause_id_agreement(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """1 where two clause ids normalise to the same label, rapidfuzz-graded near-equality for
    dotted numbers that share their first level (``4.2.1`` ~ ``4.2``), 0 otherwise."""
    na, nb = len(a), len(b)
    out = np.zeros((na, nb), dtype=np.float32)
    if not na or not nb:
        return out
    ka = [normalise_clause_id(x) for x in a]
    kb = [normalise_clause_id(x) for x in b]
    index: dict[str, list[int]] = {}
    for j, k in enumerate(kb):
        index.setdefault(k, []).append(j)
    for i, k in enumerate(ka):
        for j in index.get(k, ()):
            out[i, j] = 1.0
    return out


def title_concept_agreement(
    a: Sequence[Iterable[str]],
    b: Sequence[Iterable[str]],
    glossary: Glossary | None = None,
    *,
    own_a: Sequence[Iterable[str]] | None = None,
    own_b: Sequence[Iterable[str]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Agreement and conflict of the concepts named in two clause titles.

    ``agree`` sums, over the concepts both titles name, 1 / √(titles of A naming it × titles
    of B naming it) — 1 for a concept each side names once, little for the subject of the
    whole document, which says nothing about which clause is which; a concept shared only
    through its root (Cr(VI) and chromium) counts 0.7 of that. ``conflict`` is 1 where both
    titles name specific concepts and none is related — the "same number, different
    substance" near-tie that embeddings miss.

    ``a``/``b`` are the concepts each clause is about (its title's, or an ancestor's when it
    has none); ``own_a``/``own_b``, when given, are the titles' own concepts, over which the
    counts are taken (a sub-clause inheriting "lead" does not make lead commoner).
    """
    from scipy import sparse

    sa = [set(x) for x in a]
    sb = [set(x) for x in b]
    oa = [set(x) for x in own_a] if own_a is not None else sa
    ob = [set(x) for x in own_b] if own_b is not None else sb
    na, nb = len(sa), len(sb)
    if not na or not nb:
        z = np.zeros((na, nb), dtype=np.float32)
        return z, z.copy()

    def root(c: str) -> str:
        return glossary.root(c) if glossary is not None else c

    def overlap(key: Callable[[str], str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        bags_a = [{key(x) for x in bag} for bag in sa]
        bags_b = [{key(x) for x in bag} for bag in sb]
        vocab: dict[str, int] = {}
        for bag in (*bags_a, *bags_b):
            for c in bag:
                vocab.setdefault(c, len(vocab))

        def incidence(
            bags: list[set[str]], owners: list[set[str]], n: int
        ) -> tuple[sparse.csr_matrix, np.ndarray]:
            df = np.ones(max(1, len(vocab)))  # at least the clause itself
            counts = np.zeros(max(1, len(vocab)))
            for bag in owners:
                for c in {key(x) for x in bag}:
                    if c in vocab:
                        counts[vocab[c]] += 1
            df = np.maximum(df, counts)
            rows = [i for i, bag in enumerate(bags) for _ in bag]
            cols = [vocab[c] for bag in bags for c in bag]
            w = 1.0 / np.sqrt(df[cols]) if cols else np.zeros(0)
            m = sparse.csr_matrix((w, (rows, cols)), shape=(n, max(1, len(vocab))))
            # a title is specific when it names a concept that few titles of its side name
            rare = (df == 1) | (df < 0.5 * n)
            spec = np.array([any(rare[vocab[c]] for c in bag) for bag in bags], dtype=bool)
            return m, spec

        ma, spec_a = incidence(bags_a, oa, na)
        mb, spec_b = incidence(bags_b, ob, nb)
        return np.asarray((ma @ mb.T).todense()), spec_a, spec_b

    exact, spec_a, spec_b = overlap(lambda c: c)
    rooted, _, _ = overlap(root)
    agree = np.clip(np.maximum(exact, 0.7 * rooted), 0.0, 1.0).astype(np.float32)
    related = _related(sa, sb, root)
    conflict = (np.outer(spec_a, spec_b) & ~related).astype(np.float32)
    return agree, conflict


def _related(sa: list[set[str]], sb: list[set[str]], root: Callable[[str], str]) -> np.ndarray:
    """Whether two concept sets share a concept or a root (unweighted)."""
    from scipy import sparse

    vocab: dict[str, int] = {}
    ra, ca, rb, cb = [], [], [], []
    for i, bag in enumerate(sa):
        for c in {root(x) for x in bag}:
            ra.append(i)
            ca.append(vocab.setdefault(c, len(vocab)))
    for j, bag in enumerate(sb):
        for c in {root(x) for x in bag}:
            rb.append(j)
            cb.append(vocab.setdefault(c, len(vocab)))
    v = max(1, len(vocab))
    ma = sparse.csr_matrix((np.ones(len(ra)), (ra, ca)), shape=(len(sa), v))
    mb = sparse.csr_matrix((np.ones(len(rb)), (rb, cb)), shape=(len(sb), v))
    return np.asarray((ma @ mb.T).todense()) > 0


# --- section types ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _section_phrases() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    import csv
    from importlib import resources

    text = resources.files("stdcompare.data").joinpath("section_types.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    out = []
    for r in rows:
        phrase = (r.get("phrase") or "").strip().lower()
        if not phrase:
            continue
        body = re.escape(phrase).replace(r"\ ", r"\s+")
        rx = body if r["lang"] == "zh" else r"(?<![a-zа-яё])" + body
        out.append((r["type"].strip(), r["lang"].strip(), re.compile(rx)))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def section_within() -> dict[str, str]:
    """The broader type each section type is part of, where the data names one
    (``contaminants`` → ``requirements``): the ``within`` column of ``section_types.csv``."""
    import csv
    from importlib import resources

    text = resources.files("stdcompare.data").joinpath("section_types.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {
        r["type"].strip(): (r.get("within") or "").strip()
        for r in rows
        if (r.get("within") or "").strip()
    }


def section_types(title: str) -> set[str]:
    """Structural types a clause title names (``scope``, ``terms``, ``requirements``,
    ``methods``, ``sampling`` …; see ``stdcompare/data/section_types.csv``), any language."""
    low = " ".join(title.lower().split())
    if not low:
        return set()
    return {t for t, _, rx in _section_phrases() if rx.search(low)}
