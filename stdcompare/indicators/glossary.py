"""The trilingual glossary: canonical concepts with Chinese, English and Russian names.

The data of record is ``stdcompare/data/glossary.csv`` (see ``GLOSSARY.md`` beside it). A
:class:`Glossary` finds concept mentions in text of any of the three languages and answers
questions about concepts (kind, parent, ancestors, food-category codes).
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

LANGS = ("zh", "en", "ru")
# Chemical symbols that are also ordinary words or letters; never matched as bare symbols.
_SYMBOL_STOP = {
    "As",
    "In",
    "Be",
    "No",
    "At",
    "He",
    "Is",
    "Am",
    "Es",
    "Pa",
    "Po",
    "Ca",
    "Co",
    "Mo",
    "Re",
    "Ti",
    "Ag",
    "Ga",
    "Ge",
    "Ho",
    "La",
    "Li",
    "Lu",
    "Os",
    "Sc",
    "Sm",
    "Tb",
    "Ta",
    "Te",
    "Ba",
}


@dataclass(frozen=True)
class Concept:
    id: str
    kind: str
    names: dict[str, tuple[str, ...]]  # lang -> preferred name first, then synonyms
    symbol: str = ""
    ins: str = ""
    cas: str = ""
    codes: tuple[str, ...] = ()
    parent: str | None = None
    source: str = ""

    def name(self, lang: str = "en") -> str:
        for lg in (lang, "en", "zh", "ru"):
            if self.names.get(lg):
                return self.names[lg][0]
        return self.id


@dataclass(frozen=True)
class Mention:
    concept_id: str
    start: int
    end: int
    text: str


def _split(cell: str | None) -> list[str]:
    return [s.strip() for s in (cell or "").split("|") if s.strip()]


def _norm(text: str) -> str:
    """Fold brackets and case for matching; keeps string length unchanged."""
    return text.translate(_BRACKETS).lower()


_BRACKETS = str.maketrans({"（": "(", "）": ")", "［": "[", "］": "]", "，": ",", "μ": "µ"})
_RU_WORD = re.compile(r"[а-яё]+")


def _ru_stem(word: str) -> str:
    """A crude Russian stem: inflection removed, fleeting vowel dropped (свинец/свинца → свинц)."""
    if len(word) <= 4:
        return word
    stem = re.sub(
        r"(?:ами|ями|ого|его|ому|ему|ыми|ими|ий|ый|ой|ая|яя|ое|ее|ые|ие|ей|ия|ов|ев|ам|ям|ах|ях"
        r"|ом|ем|ую|юю|а|я|ь|й|о|е|ы|и|у|ю)$",
        "",
        word,
    )
    if len(stem) < 3:
        stem = word[:3]
    return re.sub(r"(?<=[а-яё]{2})[ео]([цкл])$", r"\1", stem)


class Glossary:
    """Concept lookup and mention finding over the glossary table."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts: dict[str, Concept] = {c.id: c for c in concepts}
        self._patterns: dict[frozenset[str] | None, tuple[re.Pattern[str], dict[str, str]]] = {}

    # -- loading --------------------------------------------------------------------------------

    @classmethod
    def from_csv(cls, path: str | Path) -> Glossary:
        with open(path, encoding="utf-8", newline="") as fh:
            return cls(_concepts(csv.DictReader(fh)))

    def __len__(self) -> int:
        return len(self.concepts)

    def __contains__(self, cid: object) -> bool:
        return cid in self.concepts

    def __getitem__(self, cid: str) -> Concept:
        return self.concepts[cid]

    def get(self, cid: str | None) -> Concept | None:
        return self.concepts.get(cid) if cid else None

    # -- hierarchy ------------------------------------------------------------------------------

    def ancestors(self, cid: str) -> list[str]:
        out: list[str] = []
        cur = self.concepts.get(cid)
        while cur is not None and cur.parent and cur.parent not in out and cur.parent != cid:
            out.append(cur.parent)
            cur = self.concepts.get(cur.parent)
        return out

    def root(self, cid: str) -> str:
        anc = self.ancestors(cid)
        return anc[-1] if anc else cid

    def related(self, a: str, b: str) -> bool:
        """Same concept, or one is an ancestor of the other, or they share a root."""
        return a == b or self.root(a) == self.root(b)

    # -- finding mentions -----------------------------------------------------------------------

    def find(
        self, text: str, lang: str | None = None, kinds: Iterable[str] | None = None
    ) -> list[Mention]:
        """Longest non-overlapping concept mentions in ``text`` (names of all three languages)."""
        kset = frozenset(kinds) if kinds is not None else None
        pat, keymap = self._pattern(kset)
        low = _norm(text)
        out: list[Mention] = []
        for m in pat.finditer(low):
            key = _match_key(m.group(0))
            cid = keymap.get(key)
            if cid is None:
                continue
            out.append(Mention(cid, m.start(), m.end(), text[m.start() : m.end()]))
        out.extend(self._symbols(text, kset, out))
        out.sort(key=lambda mm: mm.start)
        return out

    def first(self, text: str, kinds: Iterable[str] | None = None) -> Mention | None:
        found = self.find(text, kinds=kinds)
        return found[0] if found else None

    def lookup(self, name: str, kinds: Iterable[str] | None = None) -> str | None:
        """Concept id of a name (exact after normalisation), else of its longest mention."""
        key = _match_key(_norm(name.strip()))
        kset = frozenset(kinds) if kinds is not None else None
        _, keymap = self._pattern(kset)
        if key in keymap:
            return keymap[key]
        found = self.find(name, kinds=kinds)
        if not found:
            return None
        return max(found, key=lambda mm: mm.end - mm.start).concept_id

    def _pattern(self, kinds: frozenset[str] | None) -> tuple[re.Pattern[str], dict[str, str]]:
        cached = self._patterns.get(kinds)
        if cached is not None:
            return cached
        keymap: dict[str, str] = {}
        alts: dict[str, str] = {}
        for c in self.concepts.values():
            if kinds is not None and c.kind not in kinds:
                continue
            for lang, names in c.names.items():
                for name in names:
                    n = _norm(name)
                    if len(n) < 2 and lang != "zh":
                        continue
                    key = _match_key(n)
                    keymap.setdefault(key, c.id)
                    alts.setdefault(n, _name_regex(n, lang))
        ordered = sorted(alts.items(), key=lambda kv: len(kv[0]), reverse=True)
        pattern = re.compile("|".join(rx for _, rx in ordered) or r"(?!x)x")
        self._patterns[kinds] = (pattern, keymap)
        return pattern, keymap

    def _symbols(
        self, text: str, kinds: frozenset[str] | None, taken: list[Mention]
    ) -> Iterator[Mention]:
        spans = [(m.start, m.end) for m in taken]
        for c in self.concepts.values():
            sym = c.symbol
            if (
                not sym
                or len(sym) < 2
                or sym in _SYMBOL_STOP
                or (kinds is not None and c.kind not in kinds)
            ):
                continue
            for m in re.finditer(r"(?<![A-Za-z])" + re.escape(sym) + r"(?![a-z])", text):
                if not any(s < m.end() and m.start() < e for s, e in spans):
                    spans.append(m.span())
                    yield Mention(c.id, m.start(), m.end(), m.group(0))


def _name_regex(n: str, lang: str) -> str:
    if lang == "zh" or re.search(r"[\u4e00-\u9fff]", n):
        return re.escape(n)
    if lang == "ru" or re.search(r"[а-яё]", n):
        parts = []
        for tok in re.split(r"(\s+)", n):
            if _RU_WORD.fullmatch(tok):
                stem = _ru_stem(tok)
                stem_rx = re.escape(stem)
                if tok != stem and re.search(r"[ео][цкл]$", tok) and stem.endswith(tok[-1]):
                    stem_rx = re.escape(stem[:-1]) + "[ео]?" + re.escape(stem[-1])
                parts.append(stem_rx + r"[а-яё]{0,4}")
            elif tok.isspace():
                parts.append(r"\s+")
            else:
                parts.append(re.escape(tok))
        return r"(?<![а-яёa-z])" + "".join(parts) + r"(?![а-яё])"
    body = re.escape(n).replace(r"\ ", r"\s+")
    tail = r"(?:e?s)?(?![a-z])" if re.search(r"[a-z]$", n) else ""
    return r"(?<![a-z0-9])" + body + tail


def _match_key(s: str) -> str:
    s = re.sub(r"\s+", " ", s.strip())
    if re.search(r"[а-яё]", s):
        return " ".join(_ru_stem(w) if _RU_WORD.fullmatch(w) else w for w in s.split(" "))
    if re.search(r"[a-z]$", s) and not re.search(r"[\u4e00-\u9fff]", s):
        s = re.sub(r"(?<=[a-z]{3})(?:es|s)$", "", s)
    return s


def _concepts(rows: Iterable[dict[str, str]]) -> Iterator[Concept]:
    for row in rows:
        cid = (row.get("id") or "").strip()
        if not cid:
            continue
        names: dict[str, tuple[str, ...]] = {}
        for lang in LANGS:
            ns = _split(row.get(lang)) + _split(row.get(f"{lang}_synonyms"))
            names[lang] = tuple(dict.fromkeys(ns))
        yield Concept(
            id=cid,
            kind=(row.get("kind") or "").strip(),
            names=names,
            symbol=(row.get("symbol") or "").strip(),
            ins=(row.get("ins") or "").strip(),
            cas=(row.get("cas") or "").strip(),
            codes=tuple(_split(row.get("codes"))),
            parent=(row.get("parent") or "").strip() or None,
            source=(row.get("source") or "").strip(),
        )


@functools.lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    """The glossary shipped with the package (cached)."""
    res = resources.files("stdcompare.data").joinpath("glossary.csv")
    if not res.is_file():
        return Glossary(())
    with resources.as_file(res) as path:
        return Glossary.from_csv(path)
