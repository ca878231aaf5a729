"""Safe highlighting of aligned clause texts: numbers that differ, and modal verbs.

The text is cut into spans first (numbers, modal verbs, the rest); every span is escaped on
its own and only then wrapped in markup, so nothing from a document can become HTML and an
escape sequence (``&#39;``) is never mistaken for a number.

A number counts as "the same" on the other side when the other text prints the same value
(decimal commas read as points, ``5 µg/l`` equal to ``0,005 mg/l`` when both carry units
that pint can convert).
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from markupsafe import Markup, escape

from ..gaps.strength import find_modals
from ..indicators.numbers import NUM_RE, value_of

_UNIT_GAP = re.compile(r"\s*")
# Numbers that name a table, figure, clause or note rather than state a quantity.
_REFERENCE = re.compile(
    r"(?:表|图|附录|第|注|条|Table|Figure|Annex|Article|Note|Part|Clause|Point|No\.|"
    r"Таблиц[аыеу]|Приложени[еяю]|Стать[яиюе]|пункт[аеу]?|Примечание|№)\s*$",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1)
def _unit_re() -> re.Pattern[str] | None:
    try:
        from ..indicators.units import unit_pattern

        return unit_pattern()
    except Exception:  # pragma: no cover - unit table unavailable: plain numbers only
        return None


def _numbers(text: str, lang: str) -> list[tuple[int, int, float, tuple[str, float] | None]]:
    """(start, end, value, base quantity or None) for every number in ``text``."""
    out = []
    unit_re = _unit_re()
    for m in NUM_RE.finditer(text):
        try:
            value = value_of(m, lang)
        except (ValueError, OverflowError):
            continue
        if not math.isfinite(value):
            continue
        base = None
        if unit_re is not None:
            gap = _UNIT_GAP.match(text, m.end())
            um = unit_re.match(text, gap.end() if gap else m.end())
            if um is not None and um.group(0):
                base = _base(value, um.group(0))
        out.append((m.start(), m.end(), value, base))
    return out


def _base(value: float, unit: str) -> tuple[str, float] | None:
    try:
        from ..indicators.units import lookup, registry

        info = lookup(unit)
        if info is None:
            return None
        q: Any = registry().parse_expression(info.expr)
        qty = (value * q).to_base_units()
        return (str(qty.dimensionality) + info.qualifier, float(qty.magnitude))
    except Exception:
        return None


def _same(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-15)


def highlight(text: str, other: str, lang: str = "en", other_lang: str = "en") -> Markup:
    """``text`` as HTML: numbers not found in ``other`` in ``<mark>``, modal verbs tagged."""
    if not text:
        return Markup("")
    mine = _numbers(text, lang)
    theirs = _numbers(other or "", other_lang)
    values = [v for _, _, v, _ in theirs]
    bases = [b for *_, b in theirs if b is not None]
    spans: list[tuple[int, int, str]] = []
    for start, end, value, base in mine:
        if _REFERENCE.search(text, max(0, start - 14), start):
            continue
        found = any(_same(value, v) for v in values) or (
            base is not None and any(base[0] == b[0] and _same(base[1], b[1]) for b in bases)
        )
        if not found:
            spans.append((start, end, "num"))
    taken = [(s, e) for s, e, _ in spans]
    for md in find_modals(text):
        if not any(s < md.end and md.start < e for s, e in taken):
            spans.append((md.start, md.end, "modal:" + md.strength))
    spans.sort()
    parts: list[str] = []
    pos = 0
    for start, end, kind in spans:
        parts.append(str(escape(text[pos:start])))
        piece = str(escape(text[start:end]))
        if kind == "num":
            parts.append(f'<mark class="diff" title="not in the other clause">{piece}</mark>')
        else:
            strength = kind.split(":", 1)[1]
            parts.append(f'<span class="modal m-{strength}" title="{strength}">{piece}</span>')
        pos = end
    parts.append(str(escape(text[pos:])))
    return Markup("".join(parts))
