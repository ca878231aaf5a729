"""Names around a limit: parameter, product, basis, condition and method, in zh / en / ru.

The grammar here works on the *segment* of a sentence that belongs to one limit — the words
between the previous limit and this one, and the words after it up to the next — and splits
it into a parameter and a product by the product markers of each language (``中``, ``用于``,
``in``, ``for``, ``в``, ``для``), labels (``Lead:``, ``Свинец —``), limit nouns
(``the maximum level of … in …``), and basis phrases (``以Pb计``, ``as NO3``, ``dry weight``,
``в пересчете на …``). The glossary, when given, decides which of two names is the
parameter and which the product.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from . import lexicon
from .glossary import Glossary

_OPEN, _CLOSE = "(（[〔【«“", ")）]〕】»”"


@dataclass(frozen=True)
class Names:
    parameter: str = ""
    product: str = ""
    basis: str = ""
    label_is_product: bool = False


def strip_brackets_depth(text: str) -> list[int]:
    """Bracket depth at each character of ``text``."""
    depth, out = 0, []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        out.append(depth)
        if ch in _CLOSE and depth > 0:
            depth -= 1
    return out


def top_level_find(text: str, pattern: re.Pattern[str], last: bool = False) -> re.Match[str] | None:
    """First (or last) match of ``pattern`` outside brackets."""
    depth = strip_brackets_depth(text)
    found = None
    for m in pattern.finditer(text):
        if m.start() < len(depth) and depth[m.start()] == 0:
            if not last:
                return m
            found = m
    return found


# --- basis -------------------------------------------------------------------------------------

_ZH_BASIS = re.compile(r"[(（]?\s*(以\s*[^，,。；;()（）计]{1,16}?\s*计)\s*[)）]?")
_EN_BASIS = re.compile(
    r"\b(?:(?i:expressed|calculated|determined)\s+)?(?i:as)\s+"
    r"(?P<x>total\s+[A-Z][A-Za-z0-9₀-₉⁺⁻]*|[A-Z][A-Za-z0-9₀-₉⁺⁻]{0,8}(?![a-z])"
    r"|(?:[a-z]+\s+)?(?:acid|dioxide|ion|nitrogen|oxide|sulfate|sulphate|carbonate)"
    r"|(?:elemental\s+)?[a-z]+(?=\s*(?:[,;.)]|$)))"
)
_RU_BASIS = re.compile(
    r"(?:в\s+пересч[её]те\s+на\s+(?P<a>[^,;.()]{1,40}?)(?=\s*(?:[,;.)]|$|\s[—–-]\s|\sв\s|\sне\s))"
    r"|\bпо\s+(?P<b>[A-Z][A-Za-z0-9₀-₉⁺⁻]*|каолину|азоту|фосфору|хлору|сере|[A-Z][a-z]?)(?![A-Za-zА-Яа-я]))"
)


@functools.lru_cache(maxsize=8)
def _fixed_basis(lang: str) -> re.Pattern[str]:
    return lexicon.role_regex("basis_fixed", lang)


@functools.lru_cache(maxsize=8)
def _relative_basis(lang: str) -> re.Pattern[str]:
    return lexicon.role_regex("basis_relative", lang)


def find_basis(text: str, lang: str | None = None) -> str:
    """The basis a limit is expressed on (``以Pb计``, ``as NO3``, ``wet weight``, ``в пересчете
    на SO₂``, ``по NO₃⁻``, ``of fat``), as printed; ``""`` when none is printed."""
    hits = [m for m in basis_matches(text, lang)]
    return hits[0][1] if hits else ""


def basis_matches(text: str, lang: str | None = None) -> list[tuple[tuple[int, int], str]]:
    """Every basis phrase in ``text`` with its span, in order."""
    if not text:
        return []
    out: list[tuple[tuple[int, int], str]] = []
    for m in _ZH_BASIS.finditer(text):
        out.append(((m.start(), m.end()), re.sub(r"\s+", "", m.group(1))))
    for m in _EN_BASIS.finditer(text):
        b = re.sub(r"\s+", " ", m.group(0)).strip()
        b = re.sub(r"^(?i:expressed|calculated|determined)\s+", "", b)
        out.append((m.span(), b))
    for m in _RU_BASIS.finditer(text):
        out.append((m.span(), re.sub(r"\s+", " ", m.group(0)).strip()))
    for lg in (lang,) if lang else ("zh", "en", "ru"):
        for rx in (_fixed_basis(lg), _relative_basis(lg)):
            for m in rx.finditer(text):
                out.append((m.span(), re.sub(r"\s+", " ", m.group(0)).strip()))
    out.sort(key=lambda t: (t[0][0], -(t[0][1] - t[0][0])))
    kept: list[tuple[tuple[int, int], str]] = []
    for span, b in out:
        if any(span[0] < e and s < span[1] for (s, e), _ in kept):
            continue
        kept.append((span, b))
    return kept


def remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span replaced by a space (overlapping spans count once)."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    for s, e in reversed(merged):
        text = text[:s] + " " + text[e:]
    return text


# --- cleaning a name ----------------------------------------------------------------------------

_FOOTNOTES = re.compile(
    r"(?<=[^\s\d])[ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ*]+(?:[,，][ᵃᵇᶜᵈᵉᶠᵍʰ]+)*"
    r"|\s*\(\s*\d{1,3}\s*\)(?:\s*\(\s*\d{1,3}\s*\))*|\s*\[\s*\d{1,3}\s*\]"
    r"|(?<=[\u4e00-\u9fff）)])\s?[a-h](?:\s*[,，]\s*[a-h])*(?=[，,、\s/（(［\[]|$)"
)


def clean_name(text: str) -> str:
    """A name as printed, without footnote marks, unit suffixes and edge punctuation."""
    s = _FOOTNOTES.sub("", text or "")
    s = re.sub(r"[(（]\s*[)）]", " ", s)
    s = re.sub(r"\s+", " ", s)
    s = s.strip(" \t,，;；:：、.。—–")
    s = re.sub(r"^-(?!\d)|-$", "", s).strip()
    # unbalanced brackets left at an edge
    while s and s[-1] in _OPEN:
        s = s[:-1].rstrip()
    while s and s[0] in _CLOSE:
        s = s[1:].lstrip()
    if s.count("(") + s.count("（") < s.count(")") + s.count("）") and s[-1:] in ")）":
        s = s[:-1].rstrip()
    if s.count("(") + s.count("（") > s.count(")") + s.count("）") and s[:1] in "(（":
        s = s[1:].lstrip()
    return s


@functools.lru_cache(maxsize=8)
def _filler_edges(lang: str) -> re.Pattern[str]:
    ws = sorted(set(lexicon.words("parameter_filler", lang)), key=len, reverse=True)
    alts = "|".join(lexicon.phrase_regex(w) for w in ws) or r"(?!x)x"
    # articles lead a name ("the content"), they never end one ("ochratoxin A", "vitamin A")
    tail_ws = [w for w in ws if w.lower() not in _LEADING_ONLY]
    tails = "|".join(lexicon.phrase_regex(w) for w in tail_ws) or r"(?!x)x"
    return re.compile(rf"^(?:\s*(?:{alts}))+\s*|\s*(?:(?:{tails})\s*)+$", re.IGNORECASE)


_LEADING_ONLY = {"a", "an", "the"}


def strip_fillers(text: str, lang: str) -> str:
    prev = None
    s = text
    while prev != s:
        prev = s
        s = _filler_edges(lang).sub("", s).strip(" ,，;；:：、")
    return s


@functools.lru_cache(maxsize=8)
def _limit_nouns() -> re.Pattern[str]:
    pat, _ = lexicon.compiled("column", strong_only=False)
    return pat


def limit_noun(text: str) -> tuple[str | None, re.Match[str] | None]:
    """The last limit noun in ``text`` (限量, maximum level, ML, допустимый уровень …) and the
    comparator it implies."""
    last = None
    for m in _limit_nouns().finditer(text):
        last = m
    if last is None:
        return None, None
    comp = lexicon.comparator_of(last.group(0), "column")
    if comp is None:
        comp = "<="
    return comp, last


# --- splitting a segment into parameter and product -------------------------------------------

_ZH_ZAI_ZHONG = re.compile(r"在\s*(?P<p>[^，,。；;在]{1,40}?)\s*中")
# the locative 中 ("食品中铅"), not the 中 of 集中式, 中心, 其中, 中国 …
_ZH_ZHONG = re.compile(r"(?<![集其当高初空期])中(?![心国间等性和温层期型档式央部段途级度断止华文])")
_ZH_YONGYU = re.compile(r"用于|对于")
_ZH_DE = re.compile(r"的")
_EN_LIMIT_OF = re.compile(
    r"\b(?:maximum\s+(?:residue\s+)?(?:level|limit|value|concentration)s?|ML|MRL|parametric\s+value"
    r"|limit(?:\s+value)?|permissible\s+[a-z ]*?level|minimum\s+value)\s+(?:of|for)\s+",
    re.IGNORECASE,
)
_EN_IN = re.compile(
    r"\s(?:in|for)\s+(?!general\b|accordance\b|the\s+range\b|total\b)", re.IGNORECASE
)
_EN_CONTAIN = re.compile(r"\b(?:may|shall|should|must)?\s*(?:not\s+)?contain(?:s|ing)?\b", re.I)
_RU_DLYA = re.compile(r"\s(?:для)\s+")
_RU_V = re.compile(
    r"\s(?:в|во)\s+(?!пересч[её]те|сухом|том\s+числе|течение|пределах|сумме|1\s|расчете|случае"
    r"|соответствии|зависимости|режиме|закрытом|открытом)"
)


def split_chunk(chunk: str, lang: str, g: Glossary | None = None) -> tuple[str, str]:
    """(parameter, product) of one name chunk such as ``谷物及其制品中铅的限量为`` or
    ``The maximum level of lead in muscle meat of fish is`` or ``Содержание свинца в мясе``."""
    s = chunk.strip()
    if not s:
        return "", ""
    # names the glossary knows are never split inside ("Мощность в выключенном состоянии",
    # "Temperature in the core"): they stand in as placeholders while the markers are read
    held: list[str] = []
    if g is not None and len(g) and lang != "zh":
        for m in sorted(g.find(s), key=lambda mm: mm.start, reverse=True):
            if g[m.concept_id].kind != "food_category" and re.search(r"\s", m.text):
                held.append(m.text)
                s = s[: m.start] + f"\ue000{chr(0xE100 + len(held) - 1)}\ue001" + s[m.end :]
    if lang == "zh":
        param, product = _split_zh(s, g)
    elif lang == "ru":
        param, product = _split_ru(s, g)
    else:
        param, product = _split_en(s, g)
    if held:
        param, product = _restore(param, held), _restore(product, held)
    if param and not product and g is not None and len(g):
        param, product = _food_after_param(param, lang, g)
    return param, product


def _restore(text: str, held: list[str]) -> str:
    return re.sub("\ue000(.)\ue001", lambda m: held[ord(m.group(1)) - 0xE100], text)


def _food_after_param(param: str, lang: str, g: Glossary) -> tuple[str, str]:
    """ "Кислотность молока", "Iodine content of iodized salt", "Водородный показатель (pH)
    питьевой воды": a food named after the parameter is the product."""
    ms = g.find(param)
    first_param = next((m for m in ms if g[m.concept_id].kind != "food_category"), None)
    if first_param is None:
        return param, ""
    food = next(
        (m for m in ms if g[m.concept_id].kind == "food_category" and m.start >= first_param.end),
        None,
    )
    if food is None:
        return param, ""
    head = param[: food.start]
    head = re.sub(r"(?:\s+(?:of|in|for|в|во|для)|[的中])\s*$", "", head.rstrip())
    tail = param[food.end :].strip()
    if tail and not re.fullmatch(r"[()（）,，\s]*", tail):
        return param, ""  # the food is inside the name, not after it
    return clean_name(head), food.text


def _split_zh(s: str, g: Glossary | None) -> tuple[str, str]:
    if s.startswith(("用于", "对于")):
        return "", strip_fillers(s[2:], "zh")
    if (
        s.startswith("对")
        and len(s) > 2
        and g is not None
        and len(g)
        and not any(m.start == 0 for m in g.find(s) if g[m.concept_id].kind != "food_category")
    ):
        # "——对Ⅰ类便携式器具 0.75 mA": 对 "for" opens the product (not 对二氯苯, 对硫磷)
        return "", strip_fillers(s[1:], "zh")
    m = top_level_find(s, _ZH_ZAI_ZHONG, last=True)
    if m is not None:
        return _zh_param(s[: m.start()] + s[m.end() :]), m.group("p").strip()
    if g is not None and len(g):
        # "酒类中断后伸长率": the 中 before a known parameter name is the locative one
        depth = strip_brackets_depth(s)
        for pos in range(len(s) - 2, 0, -1):
            if s[pos] == "中" and depth[pos] == 0:
                ms = g.find(s[pos + 1 :])
                if ms and ms[0].start == 0 and g[ms[0].concept_id].kind != "food_category":
                    return _zh_param(s[pos + 1 :]), s[:pos].strip()
    m = top_level_find(s, _ZH_ZHONG, last=True)
    if m is not None and m.start() > 0:
        return _zh_param(s[m.end() :]), s[: m.start()].strip()
    m = top_level_find(s, _ZH_YONGYU)
    if m is not None and m.start() > 0:
        return _zh_param(s[: m.start()]), strip_fillers(s[m.end() :], "zh")
    m = top_level_find(s, _ZH_DE, last=True)
    if m is not None and m.start() > 0:
        head, tail = s[: m.start()], strip_fillers(s[m.end() :], "zh")
        if not tail or _is_generic(tail, "zh"):
            return _zh_param(head), ""
        if g is not None and len(g) and _is_param(head, g) and not _is_param(tail, g):
            return _zh_param(head), ""
        return _zh_param(tail), head.strip()
    if g is not None and len(g):
        # "生乳脂肪": a food name glued to a parameter name
        ms = g.find(s)
        if len(ms) >= 2 and ms[0].start == 0 and g[ms[0].concept_id].kind == "food_category":
            rest = [m for m in ms[1:] if g[m.concept_id].kind != "food_category"]
            if rest and rest[0].start == ms[0].end:
                return _zh_param(s[ms[0].end :]), ms[0].text
    return _zh_param(s), ""


def _zh_param(s: str) -> str:
    return strip_fillers(s.strip(), "zh")


def _split_en(s: str, g: Glossary | None) -> tuple[str, str]:
    s = re.sub(r"^(?:the|a|an)\s+", "", s.strip(), flags=re.IGNORECASE)
    s = re.sub(r"^(?:until|from|after)\s+(?:that|this)\s+date,?\s+(?:the\s+)?", "", s, flags=re.I)
    m = _EN_LIMIT_OF.search(s)
    if m is not None:
        s = s[m.end() :]
    lead = re.match(r"(?:in|for)\s+(?!general\b)", s, re.IGNORECASE)
    if lead:
        rest = s[lead.end() :]
        the = top_level_find(rest, re.compile(r",?\s+the\s+", re.I))
        if the is not None and the.start() > 0:  # "For lawnmowers …, the sound power level is"
            return strip_fillers(rest[the.end() :], "en"), strip_fillers(rest[: the.start()], "en")
        return "", strip_fillers(rest, "en")
    m = _EN_CONTAIN.search(s)
    if m is not None and m.start() > 0:
        # "Cereal grains … may contain up to …": the subject is the product
        return "", strip_fillers(s[: m.start()], "en")
    m = top_level_find(s, _EN_IN)
    if m is not None and m.start() > 0:
        head, tail = s[: m.start()], s[m.end() :]
        return strip_fillers(head, "en"), strip_fillers(tail, "en")
    return strip_fillers(s, "en"), ""


def _split_ru(s: str, g: Glossary | None) -> tuple[str, str]:
    lead = re.match(r"(?:для|в|во)\s+(?!пересч|сухом|том\s+числе|течение|пределах|сумме)", s, re.I)
    if lead:
        return "", strip_fillers(s[lead.end() :], "ru")
    # the first product marker splits: "X в Y для Z" → product "Y для Z"
    hits = [
        m for m in (top_level_find(s, _RU_DLYA), top_level_find(" " + s, _RU_V)) if m is not None
    ]
    spans = []
    for m in hits:
        off = 1 if m.string.startswith(" ") and m.string[1:] == s else 0
        spans.append((m.start() - off, m.end() - off))
    spans = [sp for sp in spans if sp[0] > 0]
    if spans:
        a, b = min(spans)
        return strip_fillers(s[:a], "ru"), strip_fillers(s[b:], "ru")
    return strip_fillers(s, "ru"), ""


@functools.lru_cache(maxsize=8)
def _generic_rx(lang: str) -> re.Pattern[str]:
    ws = sorted(set(lexicon.words("generic_parameter", lang)), key=len, reverse=True)
    return (
        re.compile("^(?:" + "|".join(lexicon.phrase_regex(w) for w in ws) + r")$", re.IGNORECASE)
        if ws
        else re.compile(r"(?!x)x")
    )


def _is_generic(s: str, lang: str) -> bool:
    return bool(_generic_rx(lang).match(s.strip()))


def is_generic(s: str, lang: str) -> bool:
    """Whether a parameter name only says "the same substance" (残留量, residue, content)."""
    return _is_generic(strip_fillers(s, lang), lang)


def _is_param(s: str, g: Glossary) -> bool:
    return any(g[m.concept_id].kind != "food_category" for m in g.find(s))


def is_food(s: str, g: Glossary | None) -> bool:
    if g is None or not len(g) or not s:
        return False
    ms = g.find(s)
    foods = [m for m in ms if g[m.concept_id].kind == "food_category"]
    params = [m for m in ms if g[m.concept_id].kind != "food_category"]
    return bool(foods) and not params


def has_param(s: str, g: Glossary | None) -> bool:
    return bool(g is not None and len(g) and s and _is_param(s, g))
