"""Vocabulary as data: comparator phrases (``data/comparators.csv``) and the other phrase lists
of indicator extraction (``data/indicator_phrases.csv``), compiled into regexes."""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

_WORD = "A-Za-zА-Яа-яЁё\u0370-\u03ff"


@dataclass(frozen=True)
class Phrase:
    lang: str
    phrase: str
    comparator: str
    position: str  # before | after | none | column
    weak: bool = False


def _csv_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("stdcompare.data").joinpath(name).read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines))


@functools.lru_cache(maxsize=1)
def phrases() -> tuple[Phrase, ...]:
    return tuple(
        Phrase(
            r["lang"],
            r["phrase"],
            r["comparator"],
            r["position"],
            (r.get("note") or "").startswith("weak"),
        )
        for r in _csv_rows("comparators.csv")
    )


def phrase_regex(phrase: str) -> str:
    """A phrase as a regex: flexible spaces, and word boundaries where it starts or ends with
    a letter (so "max" does not match inside "maximum", nor "до" inside "допускается"). A
    phrase ending in "*" is a stem that takes any ending ("таблиц*": таблица, таблице …)."""
    if phrase.endswith("*"):
        stem = re.escape(phrase[:-1]).replace(r"\ ", r"\s+")
        lead = f"(?<![{_WORD}])" if re.match(f"[{_WORD}]", phrase) else ""
        return f"{lead}{stem}[{_WORD}]*"
    body = re.escape(phrase).replace(r"\ ", r"\s+")
    if len(phrase) <= 4 and phrase.isupper():
        body = f"(?-i:{body})"  # ML, MRL, ПДК: abbreviations keep their case (mL is a unit)
    if re.match(f"[{_WORD}]", phrase):
        body = f"(?<![{_WORD}])" + body
    if re.search(f"[{_WORD}]$", phrase) and not phrase.endswith("щ"):
        body += f"(?![{_WORD}])"
    elif phrase.endswith("щ"):  # a Russian stem: "не превышающ(ий|ая|ее)"
        body += f"[{_WORD}]*"
    return body


def _langs_ok(lang: str, langs: Iterable[str] | None) -> bool:
    return langs is None or lang == "*" or lang in langs


@functools.lru_cache(maxsize=64)
def compiled(
    position: str, strong_only: bool = True, langs: tuple[str, ...] | None = None
) -> tuple[re.Pattern[str], dict[str, str]]:
    """Alternation of comparator phrases for one position (longest first) and a map from the
    folded phrase to its comparator."""
    sel = [
        p
        for p in phrases()
        if p.position == position and not (strong_only and p.weak) and _langs_ok(p.lang, langs)
    ]
    sel.sort(key=lambda p: len(p.phrase), reverse=True)
    mapping: dict[str, str] = {}
    for p in sel:
        mapping.setdefault(fold(p.phrase), p.comparator)
    pattern = re.compile("(?:" + "|".join(phrase_regex(p.phrase) for p in sel) + ")", re.I)
    return pattern, mapping


@functools.lru_cache(maxsize=1)
def _weak() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for p in phrases():
        if p.weak:
            out.setdefault(p.position, set()).add(fold(p.phrase))
    return {k: frozenset(v) for k, v in out.items()}


def is_weak(matched: str, position: str) -> bool:
    return fold(matched) in _weak().get(position, frozenset())


def comparator_of(matched: str, position: str) -> str | None:
    _, mapping = compiled(position, strong_only=False)
    return mapping.get(fold(matched))


def fold(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower())


@functools.lru_cache(maxsize=1)
def _units_after_separator() -> re.Pattern[str]:
    from .units import unit_pattern

    return re.compile(r"(?<=[,/(（])\s*" + unit_pattern().pattern)


@functools.lru_cache(maxsize=4096)
def column_comparator(header: str) -> str | None:
    """The comparator a limits-column heading or a caption implies (限量, Maximum level,
    не более …); ``None`` when it implies none. Units in the heading ("Time, min") are not
    read as comparator words."""
    h = _units_after_separator().sub(" ", header)
    pattern, _ = compiled("column")
    hits = [m.group(0) for m in pattern.finditer(h)]
    bpat, _ = compiled("before")
    hits += [m.group(0) for m in bpat.finditer(h) if not re.fullmatch(r"[<>=]", m.group(0))]
    for hit in sorted(hits, key=len, reverse=True):
        comp = comparator_of(hit, "column") or comparator_of(hit, "before")
        if comp and comp != "=":
            return comp
    npat, _ = compiled("none")
    if npat.search(h):
        return "not_detected"
    return None


def is_limit_heading(header: str) -> bool:
    """Whether a column heading names limits, with or without a comparator ("指标", "Норма")."""
    h = _units_after_separator().sub(" ", header)
    pattern, _ = compiled("column", strong_only=False)
    return pattern.search(h) is not None


# --- other phrase lists --------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _phrase_table() -> dict[str, tuple[tuple[str, str], ...]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for r in _csv_rows("indicator_phrases.csv"):
        out.setdefault(r["role"], []).append((r["lang"], r["phrase"]))
    return {k: tuple(v) for k, v in out.items()}


def words(role: str, lang: str | None = None) -> tuple[str, ...]:
    """The phrases of one role (``condition_before``, ``non_indicator`` …), for a language."""
    return tuple(
        ph for lg, ph in _phrase_table().get(role, ()) if lang is None or lg in (lang, "*")
    )


@functools.lru_cache(maxsize=128)
def role_regex(role: str, lang: str | None = None) -> re.Pattern[str]:
    """Alternation of the phrases of one role (longest first), case-insensitive."""
    ws = sorted(set(words(role, lang)), key=len, reverse=True)
    if not ws:
        return re.compile(r"(?!x)x")
    return re.compile("(?:" + "|".join(phrase_regex(w) for w in ws) + ")", re.IGNORECASE)
