"""Value objects of an edition diff, serialised to the ``stdcompare/track-v1`` JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import SchemaError
from ..model import DocumentInfo, Indicator, Record, _dump

if TYPE_CHECKING:
    import pandas as pd

TRACK_SCHEMA = "stdcompare/track-v1"

INDICATOR_CHANGES = ("added", "removed", "changed", "unchanged")
CLAUSE_CHANGES = ("new", "removed", "moved", "reworded")
DIRECTIONS = ("tightened", "relaxed", "equivalent", "not_comparable")


@dataclass(frozen=True)
class IndicatorChange(Record):
    """One indicator of the old edition against its counterpart in the new one.

    ``change`` is ``added``, ``removed``, ``changed`` (the limit differs: value, range,
    unit, comparator, basis or species) or ``unchanged``. ``fields`` names every field that
    differs, including wording-only ones (``product``, ``parameter_name``). For a changed
    limit, ``direction`` says whether the new edition is ``tightened``, ``relaxed``,
    ``equivalent`` (the same limit re-expressed, e.g. 0.01 mg/L → 10 µg/L) or
    ``not_comparable``; ``factor`` is the new value divided by the old one, in the old unit.
    """

    change: str
    parameter: str
    old: Indicator | None = None
    new: Indicator | None = None
    parameter_id: str | None = None
    product: str = ""
    fields: tuple[str, ...] = ()
    direction: str | None = None
    factor: float | None = None
    score: float | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if self.change not in INDICATOR_CHANGES:
            raise SchemaError(
                f"IndicatorChange.change: {self.change!r} is not one of "
                + ", ".join(INDICATOR_CHANGES)
            )


@dataclass(frozen=True)
class ClauseChange(Record):
    """A clause that is ``new``, ``removed``, ``moved`` (same text under another number) or
    ``reworded`` (similar text; ``similarity`` is 0..1, ``renumbered`` when the number
    changed too). ``related`` names, for a removed clause, the new-edition clause that now
    contains most of its text (merged into it), and for a new clause the old-edition clause
    whose text it carries (split from it)."""

    change: str
    old_id: str | None = None
    new_id: str | None = None
    old_heading: str = ""
    new_heading: str = ""
    old_text: str = ""
    new_text: str = ""
    old_page: int | None = None
    new_page: int | None = None
    similarity: float | None = None
    renumbered: bool = False
    related: str | None = None

    def __post_init__(self) -> None:
        if self.change not in CLAUSE_CHANGES:
            raise SchemaError(
                f"ClauseChange.change: {self.change!r} is not one of " + ", ".join(CLAUSE_CHANGES)
            )


_INDICATOR_COLUMNS = (
    "change",
    "parameter",
    "parameter_id",
    "product",
    "old_limit",
    "new_limit",
    "direction",
    "factor",
    "fields",
    "reason",
    "old_comparator",
    "old_value",
    "old_low",
    "old_high",
    "old_unit",
    "old_basis",
    "old_clause",
    "old_page",
    "new_comparator",
    "new_value",
    "new_low",
    "new_high",
    "new_unit",
    "new_basis",
    "new_clause",
    "new_page",
    "score",
)
_CLAUSE_COLUMNS = (
    "change",
    "old_id",
    "new_id",
    "old_heading",
    "new_heading",
    "similarity",
    "renumbered",
    "related",
    "old_page",
    "new_page",
    "old_text",
    "new_text",
)


@dataclass(frozen=True)
class EditionDiff:
    """What changed from one edition of a standard to the next.

    ``indicators`` and ``clauses`` are pandas DataFrames for notebook use; the objects are
    in ``indicator_changes`` (every indicator, unchanged ones included) and
    ``clause_changes`` (changed clauses only; ``unchanged_clauses`` counts the rest).
    """

    old: DocumentInfo
    new: DocumentInfo
    indicator_changes: tuple[IndicatorChange, ...] = ()
    clause_changes: tuple[ClauseChange, ...] = ()
    unchanged_clauses: int = 0
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    # -- views -------------------------------------------------------------------------------

    @property
    def summary(self) -> dict[str, int]:
        out = {f"indicators_{k}": 0 for k in INDICATOR_CHANGES}
        out.update({f"limits_{d}": 0 for d in DIRECTIONS})
        out.update({f"clauses_{k}": 0 for k in CLAUSE_CHANGES})
        out["clauses_unchanged"] = self.unchanged_clauses
        for ic in self.indicator_changes:
            out[f"indicators_{ic.change}"] += 1
            if ic.change == "changed" and ic.direction in DIRECTIONS:
                out[f"limits_{ic.direction}"] += 1
        for cc in self.clause_changes:
            out[f"clauses_{cc.change}"] += 1
        return out

    @property
    def changed(self) -> tuple[IndicatorChange, ...]:
        """Indicators added, removed or with a changed limit."""
        return tuple(i for i in self.indicator_changes if i.change != "unchanged")

    @property
    def indicators(self) -> pd.DataFrame:
        """One row per indicator: change, both limits, direction, clauses and pages."""
        import pandas as pd

        return pd.DataFrame(
            [_indicator_row(i) for i in self.indicator_changes], columns=list(_INDICATOR_COLUMNS)
        )

    @property
    def clauses(self) -> pd.DataFrame:
        """One row per changed clause."""
        import pandas as pd

        rows = [{k: getattr(c, k) for k in _CLAUSE_COLUMNS} for c in self.clause_changes]
        return pd.DataFrame(rows, columns=list(_CLAUSE_COLUMNS))

    # -- serialisation -----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": TRACK_SCHEMA,
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "summary": self.summary,
            "indicators": [i.to_dict() for i in self.indicator_changes],
            "clauses": [c.to_dict() for c in self.clause_changes],
            "unchanged_clauses": self.unchanged_clauses,
            "meta": _dump(self.meta),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EditionDiff:
        if not isinstance(data, Mapping):
            raise SchemaError("edition diff: expected a JSON object")
        if data.get("schema") != TRACK_SCHEMA:
            raise SchemaError(
                f"edition diff: schema {data.get('schema')!r} is not {TRACK_SCHEMA!r}"
            )
        try:
            return cls(
                old=DocumentInfo.from_dict(data["old"]),
                new=DocumentInfo.from_dict(data["new"]),
                indicator_changes=tuple(
                    IndicatorChange.from_dict(i) for i in data.get("indicators", [])
                ),
                clause_changes=tuple(ClauseChange.from_dict(c) for c in data.get("clauses", [])),
                unchanged_clauses=int(data.get("unchanged_clauses", 0)),
                meta=dict(data.get("meta") or {}),
            )
        except KeyError as exc:
            raise SchemaError(f"edition diff: missing key {exc}") from exc

    def to_json(self, path: str | Path | None = None, **kwargs: Any) -> str:
        """The ``stdcompare/track-v1`` JSON text; with ``path``, also write it atomically."""
        kwargs.setdefault("ensure_ascii", False)
        kwargs.setdefault("indent", 2)
        text = json.dumps(self.to_dict(), **kwargs)
        if path is not None:
            from .._io import atomic_write_text

            atomic_write_text(Path(path), text + "\n")
        return text

    @classmethod
    def from_json(cls, text: str) -> EditionDiff:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SchemaError(f"edition diff: not valid JSON ({exc})") from exc
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> EditionDiff:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    def to_html(self, path: str | Path | None = None, *, title: str | None = None) -> str:
        """The self-contained HTML edition report; with ``path``, also write it."""
        from .html import render_track_html

        html = render_track_html(self, title=title)
        if path is not None:
            from .._io import atomic_write_text

            atomic_write_text(Path(path), html)
        return html

    def _repr_html_(self) -> str:
        from .html import render_track_summary

        return render_track_summary(self)

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"<EditionDiff {self.old.code or self.old.source} → {self.new.code or self.new.source}: "
            f"indicators +{s['indicators_added']} −{s['indicators_removed']} "
            f"~{s['indicators_changed']} ({s['limits_tightened']} tightened, "
            f"{s['limits_relaxed']} relaxed); clauses +{s['clauses_new']} −{s['clauses_removed']} "
            f"moved {s['clauses_moved']} reworded {s['clauses_reworded']}>"
        )


def _indicator_row(i: IndicatorChange) -> dict[str, Any]:
    row: dict[str, Any] = {
        "change": i.change,
        "parameter": i.parameter,
        "parameter_id": i.parameter_id,
        "product": i.product,
        "old_limit": i.old.describe() if i.old else None,
        "new_limit": i.new.describe() if i.new else None,
        "direction": i.direction,
        "factor": i.factor,
        "fields": ", ".join(i.fields),
        "reason": i.reason,
        "score": i.score,
    }
    for side, ind in (("old", i.old), ("new", i.new)):
        row.update(
            {
                f"{side}_comparator": ind.comparator if ind else None,
                f"{side}_value": ind.value if ind else None,
                f"{side}_low": ind.low if ind else None,
                f"{side}_high": ind.high if ind else None,
                f"{side}_unit": ind.unit if ind else None,
                f"{side}_basis": ind.basis if ind else None,
                f"{side}_clause": ind.clause_id if ind else None,
                f"{side}_page": ind.page if ind else None,
            }
        )
    return row


__all__ = [
    "CLAUSE_CHANGES",
    "DIRECTIONS",
    "INDICATOR_CHANGES",
    "TRACK_SCHEMA",
    "ClauseChange",
    "EditionDiff",
    "IndicatorChange",
]
