"""The compare stage: indicator pairs and their verdicts, assembled into gaps."""

from __future__ import annotations

from collections.abc import Sequence

from ..alignment.embedders import Embedder
from ..indicators.glossary import Glossary
from ..model import VERDICTS, ClausePair, Gap, Indicator
from .conversions import (
    BasisConversion,
    ConversionsLike,
    describe_conversions,
    named_conversions,
    resolve_conversions,
)
from .pairing import IndicatorPair, PairSettings, pair_indicators
from .strength import annotate_strength, clause_strength
from .verdicts import Verdict, basis_key, judge

_ORDER = {v: k for k, v in enumerate(VERDICTS)}


def gaps_from_indicators(
    ia: Sequence[Indicator],
    ib: Sequence[Indicator],
    *,
    glossary: Glossary,
    embedder: Embedder | None,
    clause_pairs: Sequence[ClausePair] = (),
    settings: PairSettings | None = None,
    conversions: ConversionsLike | Sequence[BasisConversion] = None,
) -> tuple[Gap, ...]:
    """Pair the indicators of A and B and judge each pair.

    ``conversions`` enables stated basis conversions (names such as ``"nitrate-N:NO3"`` or a
    mapping ``{(basis_a, basis_b): factor}``); see :mod:`stdcompare.gaps.conversions`.
    """
    convs = resolve_conversions(conversions)
    pairs = pair_indicators(
        ia, ib, glossary=glossary, embedder=embedder, clause_pairs=clause_pairs, settings=settings
    )
    gaps = [_gap(p, glossary, convs) for p in pairs]
    gaps.sort(key=lambda g: (g.parameter.lower(), _ORDER[g.verdict]))
    return tuple(gaps)


def _name(p: IndicatorPair, g: Glossary) -> str:
    """The parameter's English glossary name, else its name as printed, else the start of
    the text it was read from (never an empty row label)."""
    ind = p.a or p.b
    assert ind is not None
    for pid in ((p.a.parameter_id if p.a else None), (p.b.parameter_id if p.b else None)):
        c = g.get(pid)
        if c is not None:
            return c.name("en")
    for side in (p.a, p.b):
        if side is not None and side.parameter.strip():
            return side.parameter.strip()
    head = ind.text.split("|")[0].strip() if ind.text else ""
    return (head[:40] + ("…" if len(head) > 40 else "")) or "(unnamed)"


def _gap(p: IndicatorPair, g: Glossary, conversions: Sequence[BasisConversion]) -> Gap:
    name = _name(p, g)
    if p.a is None:
        return Gap(parameter=name, verdict="only_b", b=p.b, reason="no counterpart in A")
    if p.b is None:
        return Gap(parameter=name, verdict="only_a", a=p.a, reason="no counterpart in B")
    v = judge(p.a, p.b, glossary=g, conversions=conversions)
    return Gap(
        parameter=name,
        verdict=v.verdict,
        a=p.a,
        b=p.b,
        ratio=v.ratio,
        score=p.score,
        reason=v.reason,
        stricter_by=v.stricter_by,
        b_as_a=v.b_as_a,
        conversion=v.conversion,
    )


__all__ = [
    "BasisConversion",
    "ConversionsLike",
    "IndicatorPair",
    "PairSettings",
    "Verdict",
    "annotate_strength",
    "basis_key",
    "clause_strength",
    "describe_conversions",
    "gaps_from_indicators",
    "judge",
    "named_conversions",
    "pair_indicators",
    "resolve_conversions",
]
