"""Numbers that are never limits: standard and method codes, dates, clause, table and page
references, food-category, INS/E and CAS numbers, grade names, sampling-plan parameters.

:func:`reference_spans` gives their spans so that the quantity grammar skips them;
:func:`find_method` gives the first test-method code printed in a text (``GB 5009.12``,
``EN ISO 20846``, ``ГОСТ Р 51947``), without its year. The code prefixes are data
(``stdcompare/data/standard_codes.csv``).
"""

from __future__ import annotations

import csv
import functools
import re
from importlib import resources

# the number part of a designation: 5009.12, 6468:1996, 16649-1, 32511-2013, 999.11, D 4052
_CODE_NUMBER = (
    r"\s*(?:[A-Z]\s?)?\d+(?:\.\d+)*(?:\s*[-‑]\s*\d{1,2}(?!\d))*"
    r"(?:\s*[-—–‑:/]\s*(?:19|20)\d{2}(?!\d))?"
)


@functools.lru_cache(maxsize=1)
def _codes() -> tuple[tuple[str, str], ...]:
    text = resources.files("stdcompare.data").joinpath("standard_codes.csv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return tuple((r["prefix"], r["kind"]) for r in csv.DictReader(lines))


def _prefix_rx(kinds: tuple[str, ...]) -> str:
    prefixes = sorted((p for p, k in _codes() if k in kinds), key=len, reverse=True)
    alts = []
    for p in prefixes:
        esc = re.escape(p).replace(r"\ ", r"\s*")
        alts.append(esc)
    return r"(?<![A-Za-zА-Яа-я])(?:" + "|".join(alts) + r")(?![a-zа-я])"


@functools.lru_cache(maxsize=1)
def method_pattern() -> re.Pattern[str]:
    """A test-method designation (code prefix + number), e.g. ``GB/T 5750.5—2023``."""
    return re.compile(_prefix_rx(("method",)) + r"(?:\s*(?:No\.?|№))?" + _CODE_NUMBER)


@functools.lru_cache(maxsize=1)
def reference_pattern() -> re.Pattern[str]:
    from . import lexicon

    code = _prefix_rx(("method", "document")) + r"(?:\s*(?:No\.?|№))?" + _CODE_NUMBER
    ref_words = "(?i:" + lexicon.role_regex("reference_word").pattern + ")"
    months_en = "(?i:" + lexicon.role_regex("month", "en").pattern + ")"
    months_ru = "(?i:" + lexicon.role_regex("month", "ru").pattern + ")"
    parts = [
        code,
        # regulations and decisions: Regulation (EU) 2023/915, Directive 2020/2184, № 880
        r"(?:Regulation|Directive|Decision|Решени[еяю]|Регламент)\s*(?:\((?:EU|EC|EEC|ЕС)\))?"
        r"\s*(?:No\.?\s*)?\d+/\d+(?:/\w+)?",
        r"(?:\bNo\.?|№|\bNr\.?)\s*\d+(?:[/.-]\d+)*",
        r"\b\d{1,4}/\d{2,4}/(?:EU|EC|EEC|ЕС)\b|\b(?:19|20)\d{2}/\d{1,4}\b",
        r"\bOJ\s+[LC]\s*\d+(?:\s*,\s*\d{1,2}\.\d{1,2}\.\d{4})?(?:\s*,\s*p\.\s*\d+)?",
        # tables, figures, annexes, clauses, notes, footnotes, pages
        rf"(?:{ref_words})"
        r"\s*(?:[A-ZА-Я](?=[.\d\s]))?\.?\s*\d+(?:\.\d+)*(?:\s*[a-zа-я]\))?"
        r"(?:\s*(?:,|and|и|和|、|-|–|—|to|through)\s*\d+(?:\.\d+)*)*",
        r"\b(?:Annex|ANNEX|Appendix|Приложение|附录)\s+[A-ZА-Я]\b",
        r"\d+(?:\.\d+)*\s*(?:条|款|节|章|页)",
        r"第\s*[一二三四五六七八九十百\d]+\s*[章节条款页号部分法]|共\s*\d+\s*页",
        r"\b\d+\s*(?:из|of)\s*\d+\b(?=\s*(?:\.|$|стр|pages?))",
        # dates and years
        r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?",
        r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?",
        r"\d{1,2}\s*月\s*\d{1,2}\s*日",
        r"\b\d{1,2}\.\d{1,2}\.(?:19|20)\d{2}\b",
        rf"\b\d{{1,2}}\s+{months_en}\.?(?:\s+(?:19|20)\d{{2}})?\b",
        rf"{months_en}\s+\d{{1,2}},?\s+(?:19|20)\d{{2}}\b|{months_en}\s+(?:19|20)\d{{2}}\b",
        rf"\b\d{{1,2}}\s+{months_ru}(?:\s+(?:19|20)\d{{2}}\s*(?:г\.?|года|году)?)?",
        r"\b(?:19|20)\d{2}\s*(?:г\.|года|году|гг\.)",
        r"\b(?i:in|since|from|until|before|after|by|of|adopted|revised|amended|с|в|до)\s+"
        r"(?:19|20)\d{2}(?:\s*(?:,|and|и)\s*(?:19|20)\d{2})*\b(?![.,]\d|\s*(?:[-–—~～]|\bto\b)\s*\d)",
        r"\((?:19|20)\d{2}(?:\s*,[^)]{0,40})?\)",
        # food-category numbers, INS / E / CNS / CAS numbers
        r"(?<![\d.,])\d{2}\.\d{1,2}(?:\.\d{1,2}){1,3}(?![\d,])",
        r"\bINS\s*(?:No\.?\s*)?\d+[a-z]?(?:\s*\(?[ivx]+\)?)?(?:\s*[;,]\s*\d+[a-z]?(?:\s*[ivx]+)?)*",
        r"(?<![A-Za-zА-Яа-я])[EЕ]\s?-?\d{3,4}[a-z]?(?:\s*[–—-]\s*[EЕ]?\s?\d{3,4}[a-z]?)?(?![\d])",
        r"\bCNS\s*(?:号)?\s*(?:为)?\s*\d+\.\d+|CNS号为\d+\.\d+|INS号为\d+",
        r"\bCAS\s*(?:No\.?|RN)?\s*:?\s*\d+-\d+-\d",
        r"\b\d{2,7}-\d{2}-\d\b",
        # grade and class names with digits: 89号, -10号, HRB400, B500B, А500С, АИ-95, К5
        r"[-−]?\d+\s*号(?![\u4e00-\u9fff]{0,2}修改)",
        r"(?<![A-Za-zА-Яа-я0-9.,])[A-ZА-Я]{1,4}[-‑]?\d{1,4}[A-ZА-Яa-zа-я]*(?![\d.,])",
        r"\b(?:class|Class|grade|Grade|type|Type|класс\w*|Класс\w*|марк\w*|сорт\w*|вид\w*)\s+"
        r"[A-ZА-Я]?\d+[A-ZА-Я]?\b",
        # sampling-plan parameters and list numbering
        r"(?<![A-Za-zА-Яа-я])[nc]\s*=\s*\d+",
        r"^\s*(?:\(?[ivx]{1,4}\)|\(?\d{1,2}\)|[a-z]\))\s*",
        r"^\s*[1-9]\d?(?:\.\d+)+\.?(?=\s+[^\s\d])",
        r"\(\s*\d{1,3}\s*\)(?:\s*\(\s*\d{1,3}\s*\))*",
        r"\[\s*\d{1,3}\s*\]",
        r"\bCAC\d+\b",
    ]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.MULTILINE)


def reference_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that hold numbers which are never limits."""
    return list(_reference_spans(text))


@functools.lru_cache(maxsize=8192)
def _reference_spans(text: str) -> tuple[tuple[int, int], ...]:
    # table cells repeat ("GMP", "Note 161", a header on every row): read each text once
    from .units import match_unit

    out = []
    for m in reference_pattern().finditer(text):
        if m.end() <= m.start():
            continue
        if m.start() == 0 or not text[: m.start()].strip():
            # a clause number opens a line ("4.1 铅"), a value with its unit does not ("0.5 mg/kg")
            tail = text[m.end() :].lstrip()
            if re.fullmatch(r"\s*\d+(?:\.\d+)+\.?", m.group(0)) and match_unit(tail, 0):
                continue
        out.append(m.span())
    return tuple(out)


def _clean_code(code: str) -> str:
    s = re.sub(r"\s+", " ", code).strip()
    s = re.sub(r"\s*[-—–‑:/]\s*(?:19|20)\d{2}$", "", s)  # the edition year
    s = re.sub(r"(?<=[A-Za-zА-Яа-я/])(?=\d)", " ", s)  # "GB5009.12" → "GB 5009.12"
    return s


def find_method(text: str) -> str:
    """The first test-method code printed in ``text``, without its year, or ``""``."""
    m = method_pattern().search(text or "")
    return _clean_code(m.group(0)) if m else ""


def find_methods(text: str) -> list[str]:
    """Every test-method code printed in ``text``, in order, without years."""
    return [_clean_code(m.group(0)) for m in method_pattern().finditer(text or "")]
