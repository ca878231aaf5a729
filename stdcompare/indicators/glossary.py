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
from typing import Any

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


_BRACKETS = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "［": "[",
        "］": "]",
        "，": ",",
        "μ": "µ",
        "\t": " ",
        "\n": " ",
        "\u00a0": " ",
        "ё": "е",
    }
)
_RU_WORD = re.compile(r"[а-яё]+")
# Russian case and number endings of nouns and adjectives (a closed list: a name's stem takes
# one of these, so рис- matches риса but not рисунок, сыр- not сырьё)
_RU_ENDINGS = tuple(
    sorted(
        [
            "иями",
            "ями",
            "ами",
            "ией",
            "иях",
            "иям",
            "ого",
            "его",
            "ому",
            "ему",
            "ыми",
            "ими",
            "ой",
            "ей",
            "ою",
            "ею",
            "ом",
            "ем",
            "ам",
            "ям",
            "ах",
            "ях",
            "ов",
            "ев",
            "ый",
            "ий",
            "ая",
            "яя",
            "ое",
            "ее",
            "ые",
            "ие",
            "ую",
            "юю",
            "ым",
            "им",
            "ых",
            "их",
            "ия",
            "ии",
            "ью",
            "а",
            "я",
            "ы",
            "и",
            "у",
            "ю",
            "е",
            "о",
            "ь",
            "й",
        ],
        key=len,
        reverse=True,
    )
)
_RU_ENDING_RX = "(?:" + "|".join(_RU_ENDINGS) + ")?"


def _ru_stem(word: str) -> str:
    """The stem of a Russian word: case ending removed, a fleeting vowel dropped
    (свинец/свинца → свинц, масло/масел → масл, никель/никеля → никл)."""
    w = word.lower().replace("ё", "е")
    stem = w
    for e in _RU_ENDINGS:
        if w.endswith(e) and len(w) - len(e) >= (2 if len(e) == 1 else 3):
            stem = w[: -len(e)]
            break
    return re.sub(r"(?<=[а-я]{2})[ео]([цкл])$", r"\1", stem)


def _script(name: str) -> str:
    if re.search(r"[\u4e00-\u9fff]", name):
        return "zh"
    if re.search(r"[а-яё]", name):
        return "ru"
    return "en"


def _char_trie_rx(words: Iterable[str], space: str = r"\s+") -> str:
    root: dict[str, Any] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = [
            (space if ch == " " else re.escape(ch)) + build(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


# a single-character Chinese name (铅, 砷, 氨) counts only next to these (or non-CJK text):
# 氨基酸 and 银耳 are other words
_ZH_SINGLE_OK = set("的含及和与或、，,（()）限应不在中为：:计/量总") | {" "}


class Glossary:
    """Concept lookup and mention finding over the glossary table."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts: dict[str, Concept] = {c.id: c for c in concepts}
        self._patterns: dict[frozenset[str] | None, _Patterns] = {}
        self._found: dict[tuple[str, frozenset[str] | None], tuple[Mention, ...]] = {}

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
        """Longest non-overlapping concept mentions in ``text``: names of all three languages
        (Russian in any case), chemical symbols (case-sensitive) and INS / E numbers."""
        kset = frozenset(kinds) if kinds is not None else None
        ck = (text, kset)
        hit = self._found.get(ck)
        if hit is not None:
            return list(hit)
        pats = self._pattern(kset)
        low = _norm(text)
        cands: list[Mention] = []
        for script, pat in pats.patterns.items():
            for m in pat.finditer(low):
                key = _match_key(m.group(0), script)
                cid = pats.keymap.get(key)
                if cid is None:
                    continue
                if script == "zh" and len(m.group(0)) == 1 and not _single_ok(low, m.start()):
                    continue
                cands.append(Mention(cid, m.start(), m.end(), text[m.start() : m.end()]))
        cands += _ru_mentions(text, low, pats)
        cands += self._codes(text, kset)
        cands.sort(key=lambda mm: (mm.start, -(mm.end - mm.start)))
        out: list[Mention] = []
        for mm in cands:
            if out and mm.start < out[-1].end:
                continue
            out.append(mm)
        if len(self._found) > 20000:
            self._found.clear()
        self._found[ck] = tuple(out)
        return out

    def first(self, text: str, kinds: Iterable[str] | None = None) -> Mention | None:
        found = self.find(text, kinds=kinds)
        return found[0] if found else None

    def lookup(self, name: str, kinds: Iterable[str] | None = None) -> str | None:
        """Concept id of a name: exact (after normalisation), then without bracketed
        qualifiers, then the longest mention outside brackets (the head of "三卤甲烷（三氯甲烷、…
        的总和）" is 三卤甲烷), then the longest mention anywhere."""
        if not name or not name.strip():
            return None
        kset = frozenset(kinds) if kinds is not None else None
        pats = self._pattern(kset)
        n = _norm(name.strip())
        key = _match_key(n, _script(n))
        if key in pats.keymap:
            return pats.keymap[key]
        bare = re.sub(r"\s*[(\[][^()\[\]]*[)\]]\s*", " ", n).strip()
        if bare and bare != n:
            key = _match_key(bare, _script(bare))
            if key in pats.keymap:
                return pats.keymap[key]
        found = self.find(name, kinds=kinds)
        if not found:
            return None
        depth = _depths(n)
        outside = [m for m in found if m.start < len(depth) and depth[m.start] == 0]
        pool = outside or found
        return max(pool, key=lambda mm: mm.end - mm.start).concept_id

    def _pattern(self, kinds: frozenset[str] | None) -> _Patterns:
        cached = self._patterns.get(kinds)
        if cached is not None:
            return cached
        keymap: dict[str, str] = {}
        names: dict[str, set[str]] = {"zh": set(), "en": set(), "ru": set()}
        for c in self.concepts.values():
            if kinds is not None and c.kind not in kinds:
                continue
            for ns in c.names.values():
                for name in ns:
                    n = re.sub(r"\s+", " ", _norm(name)).strip()
                    script = _script(n)
                    if len(n) < 2 and script != "zh":
                        continue
                    keymap.setdefault(_match_key(n, script), c.id)
                    names[script].add(n)
        patterns: dict[str, re.Pattern[str]] = {}
        if names["zh"]:
            patterns["zh"] = re.compile(_char_trie_rx(names["zh"]))
        if names["en"]:
            body = _char_trie_rx(names["en"])
            patterns["en"] = re.compile(rf"(?<![a-z0-9])(?:{body})(?:e?s)?(?![a-z0-9])")
        ru_keys: dict[tuple[str, ...], str] = {}
        for n in names["ru"]:
            key_t = tuple(_ru_tokens(n))
            cid = keymap.get(_match_key(n, "ru"))
            if key_t and cid:
                ru_keys.setdefault(key_t, cid)
        result = _Patterns(patterns, keymap, ru_keys, max((len(k) for k in ru_keys), default=0))
        self._patterns[kinds] = result
        return result

    @functools.cached_property
    def _code_index(self) -> tuple[re.Pattern[str] | None, dict[str, str], dict[str, str]]:
        """Symbols (case-sensitive) and INS numbers of all concepts."""
        sym_map: dict[str, str] = {}
        for c in self.concepts.values():
            if c.symbol and len(c.symbol) >= 2 and c.symbol not in _SYMBOL_STOP:
                sym_map.setdefault(c.symbol, c.id)
        ins_map: dict[str, str] = {}
        ins_count: dict[str, int] = {}
        for c in self.concepts.values():
            nums = _split(c.ins)
            for num in nums:
                k = num.lower().replace(" ", "")
                # one number → the most specific concept (sodium benzoate before benzoates)
                if k not in ins_map or len(nums) < ins_count[k]:
                    ins_map[k], ins_count[k] = c.id, len(nums)
        sym_rx = (
            re.compile(r"(?<![A-Za-z0-9])(?:" + _char_trie_rx(sym_map, " ") + r")(?![a-z0-9])")
            if sym_map
            else None
        )
        return sym_rx, sym_map, ins_map

    def _codes(self, text: str, kinds: frozenset[str] | None) -> list[Mention]:
        sym_rx, sym_map, ins_map = self._code_index
        out: list[Mention] = []
        if sym_rx is not None:
            for m in sym_rx.finditer(text):
                cid = sym_map.get(m.group(0))
                if cid and (kinds is None or self.concepts[cid].kind in kinds):
                    out.append(Mention(cid, m.start(), m.end(), m.group(0)))
        for m in _INS_RX.finditer(text):
            k = m.group("n").lower().replace(" ", "")
            cid = ins_map.get(k) or ins_map.get(re.sub(r"\(.*\)$", "", k))
            if cid and (kinds is None or self.concepts[cid].kind in kinds):
                out.append(Mention(cid, m.start(), m.end(), m.group(0)))
        return out


_INS_RX = re.compile(
    r"(?<![A-Za-zА-Яа-я0-9])(?:INS\s*(?:No\.?\s*)?|[EЕ]\s?-?)"
    r"(?P<n>\d{3,4}[a-z]?(?:\s*\((?:i|ii|iii|iv|v|vi)\))?)(?![\d])"
)


@dataclass(frozen=True)
class _Patterns:
    patterns: dict[str, re.Pattern[str]]
    keymap: dict[str, str]
    ru_keys: dict[tuple[str, ...], str]
    ru_max: int


# Russian names are matched word by word on stems (a closed list of case endings removed), so
# that свинца, свинцом and свинец are one name without a regex per inflected form
_TOKEN = re.compile(r"[а-яё]+|[a-z]+|\d+|[^\sа-яёa-z\d]")


def _ru_tokens(text: str) -> list[str]:
    return [_ru_stem(t) if _RU_WORD.fullmatch(t) else t for t in _TOKEN.findall(text)]


def _ru_mentions(text: str, low: str, pats: _Patterns) -> list[Mention]:
    if not pats.ru_keys or not _RU_WORD.search(low):
        return []
    toks = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(low)]
    stems = [_ru_stem(t) if _RU_WORD.fullmatch(t) else t for _, _, t in toks]
    out = []
    i = 0
    while i < len(toks):
        hit = None
        for n in range(min(pats.ru_max, len(toks) - i), 0, -1):
            cid = pats.ru_keys.get(tuple(stems[i : i + n]))
            if cid is not None:
                hit = (n, cid)
                break
        if hit is None:
            i += 1
            continue
        n, cid = hit
        a, b = toks[i][0], toks[i + n - 1][1]
        out.append(Mention(cid, a, b, text[a:b]))
        i += n
    return out


def _single_ok(low: str, pos: int) -> bool:
    prev = low[pos - 1] if pos > 0 else " "
    nxt = low[pos + 1] if pos + 1 < len(low) else " "

    def ok(ch: str) -> bool:
        return not ("\u4e00" <= ch <= "\u9fff") or ch in _ZH_SINGLE_OK

    return ok(prev) and ok(nxt)


def _depths(text: str) -> list[int]:
    depth, out = 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        out.append(depth)
        if ch in ")]" and depth > 0:
            depth -= 1
    return out


def _match_key(s: str, script: str | None = None) -> str:
    s = re.sub(r"\s+", " ", s.strip())
    script = script or _script(s)
    if script == "ru":
        return " ".join(_ru_tokens(s))
    if script == "en" and re.search(r"[a-z]$", s):
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
