"""Edition tracking: what changed from one edition of a standard to the next.

>>> import stdcompare
>>> diff = stdcompare.track("GB5749-2006.pdf", "GB5749-2022.pdf")   # doctest: +SKIP
>>> diff.indicators.query("change == 'changed'")                    # doctest: +SKIP
>>> diff.to_html("changes.html"); diff.to_json("changes.json")      # doctest: +SKIP
>>> stdcompare.track("GB 5749")    # the two newest editions stored in the library  # doctest: +SKIP
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..errors import StdCompareError
from ..model import Document
from .clauses import ClauseDiffSettings, diff_clauses
from .indicators import IndicatorDiffSettings, diff_indicators
from .model import (
    CLAUSE_CHANGES,
    DIRECTIONS,
    INDICATOR_CHANGES,
    TRACK_SCHEMA,
    ClauseChange,
    EditionDiff,
    IndicatorChange,
)

if TYPE_CHECKING:
    from ..indicators.glossary import Glossary
    from ..ingest import BadPages
    from ..library import Library


class TrackError(StdCompareError, ValueError):
    """Two documents cannot be tracked as editions of one standard."""


def track(
    old: str | Path | Document,
    new: str | Path | Document | None = None,
    *,
    library: Library | str | Path | None = None,
    glossary: Glossary | None = None,
    clause_settings: ClauseDiffSettings | None = None,
    indicator_settings: IndicatorDiffSettings | None = None,
    bad_pages: BadPages = "error",
) -> EditionDiff:
    """Diff two editions of one standard, in the same language.

    ``old`` and ``new`` are :class:`Document` objects, files, or codes stored in the
    library (``"GB 5749—2006"``); with ``new`` omitted, ``old`` is a code and the two newest
    stored editions are diffed. Indicators come out ``added``, ``removed``, ``changed``
    (with a direction: ``tightened``, ``relaxed``, ``equivalent``, ``not_comparable``) or
    ``unchanged``; clauses ``new``, ``removed``, ``moved`` or ``reworded``.
    """
    from ..indicators import extract
    from ..indicators.glossary import default_glossary
    from ..ingest import require_healthy
    from ..library import resolve_pair

    t0 = time.perf_counter()
    do, dn = resolve_pair(old, new, library, bad_pages=bad_pages)
    if bad_pages == "error":
        require_healthy(do)
        require_healthy(dn)
    if do.language != dn.language:
        raise TrackError(
            f"{do.code or do.source} is in {do.language!r} and {dn.code or dn.source} in "
            f"{dn.language!r}: track diffs two editions in the same language; use "
            "`stdcompare compare` to compare across languages"
        )
    if do.sha256 and do.sha256 == dn.sha256:
        raise TrackError(
            f"{do.source} and {dn.source} are the same file; give two different editions"
        )
    warnings = _warnings(do, dn)
    g = glossary if glossary is not None else default_glossary()
    t = time.perf_counter()
    ind_changes = diff_indicators(
        extract(do, glossary=g),
        extract(dn, glossary=g),
        glossary=g,
        language=dn.language,
        settings=indicator_settings,
    )
    t_ind = time.perf_counter() - t
    t = time.perf_counter()
    clause_changes, unchanged = diff_clauses(do, dn, clause_settings)
    t_cl = time.perf_counter() - t
    cs = clause_settings or ClauseDiffSettings()
    meta: dict[str, Any] = {
        "generator": f"stdcompare {__version__}",
        "language": dn.language,
        "settings": {"reworded_min": cs.reworded_min, "heading_weight": cs.heading_weight},
        "timings": {
            "total_s": round(time.perf_counter() - t0, 3),
            "indicators_s": round(t_ind, 3),
            "clauses_s": round(t_cl, 3),
        },
        "old_metadata": do.metadata.to_dict(),
        "new_metadata": dn.metadata.to_dict(),
    }
    if warnings:
        meta["warnings"] = warnings
    return EditionDiff(
        old=do.info(),
        new=dn.info(),
        indicator_changes=tuple(ind_changes),
        clause_changes=tuple(clause_changes),
        unchanged_clauses=unchanged,
        meta=meta,
    )


def _warnings(old: Document, new: Document) -> list[str]:
    from ..library.codes import code_key, split_code

    out = []
    if old.code and new.code:
        po, pn = split_code(old.code), split_code(new.code)
        replaced = {code_key(split_code(r).base) for r in new.metadata.replaces}
        if po.key != pn.key and po.key not in replaced:
            out.append(
                f"{new.code} does not say it replaces {old.code}; are these editions of one "
                "standard?"
            )
    yo, yn = old.metadata.year, new.metadata.year
    if yo and yn and yo > yn:
        out.append(f"the old edition ({yo}) is newer than the new one ({yn}); swap OLD and NEW?")
    return out


__all__ = [
    "CLAUSE_CHANGES",
    "DIRECTIONS",
    "INDICATOR_CHANGES",
    "TRACK_SCHEMA",
    "ClauseChange",
    "ClauseDiffSettings",
    "EditionDiff",
    "IndicatorChange",
    "IndicatorDiffSettings",
    "TrackError",
    "track",
]
