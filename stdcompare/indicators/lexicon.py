"""Comparator phrases (``stdcompare/data/comparators.csv``) compiled into regexes."""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Phrase:
    lang: str
    phrase: str
    comparator: str
    position: str  # before | after | none | column
    weak: bool = False


@functools.lru_cache(maxsize=1)
def phrases() -> tuple[Phrase, ...]:
    text = resources.files("stdcompare.data").joinpath("comparators.csv").read_text("utf-8")
    return tuple(
        Phrase(
            r["lang"], r["phrase"], r["comparator"], r["position"], "weak" in (r.get("note") or "")
        )
        for r in csv.DictReader(text.splitlines())
    )


def _rx(p: Phrase) -> str:
    body = re.escape(p.phrase).replace(r"\ ", r"\s+")
    if re.match(r"[A-Za-zА-Яа-яЁё]", p.phrase):
        body = r"(?<![A-Za-zА-Яа-яЁё])" + body
    if re.search(r"[A-Za-zА-Яа-яЁё]$", p.phrase):
        body += r"(?![A-Za-zА-Яа-яЁё])"
    return body


@functools.lru_cache(maxsize=16)
def compiled(position: str, strong_only: bool = True) -> tuple[re.Pattern[str], dict[str, str]]:
    """Alternation of phrases for one position; map from lower-cased phrase to comparator."""
    sel = [p for p in phrases() if p.position == position and not (strong_only and p.weak)]
    sel.sort(key=lambda p: len(p.phrase), reverse=True)
    mapping: dict[str, str] = {}
    for p in sel:
        mapping.setdefault(_fold(p.phrase), p.comparator)
    pattern = re.compile("(?:" + "|".join(_rx(p) for p in sel) + ")", re.IGNORECASE)
    return pattern, mapping


def comparator_of(matched: str, position: str) -> str | None:
    _, mapping = compiled(position, strong_only=False)
    return mapping.get(_fold(matched))


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower())


def column_comparator(header: str) -> str | None:
    """The comparator a limits-column heading implies (限量, Maximum level, не более …)."""
    pattern, _ = compiled("column", strong_only=False)
    hits = [m.group(0) for m in pattern.finditer(header)]
    # before-phrases in a header ("不大于", "не менее") count too
    bpat, _ = compiled("before")
    hits += [m.group(0) for m in bpat.finditer(header) if not re.fullmatch(r"[<>=]", m.group(0))]
    for h in sorted(hits, key=len, reverse=True):
        comp = comparator_of(h, "column") or comparator_of(h, "before")
        if comp:
            return comp
    return None
