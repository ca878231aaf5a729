"""Value objects of the pipeline.

All objects are frozen, picklable dataclasses without back-references (a clause names its
parent by id). Each one serialises with ``to_dict()`` / ``from_dict()`` and ``to_json()`` /
``from_json()``; :class:`Comparison` serialises to the ``stdcompare/comparison-v1`` contract
described in the README.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, get_args, get_origin

from .errors import SchemaError

if TYPE_CHECKING:
    import pandas as pd

COMPARISON_SCHEMA = "stdcompare/comparison-v1"

Comparator = Literal["<=", "<", ">=", ">", "=", "range", "not_detected"]
COMPARATORS: tuple[str, ...] = typing.get_args(Comparator)

Verdict = Literal["a_stricter", "b_stricter", "equal", "only_a", "only_b", "not_comparable"]
VERDICTS: tuple[str, ...] = typing.get_args(Verdict)

T = TypeVar("T", bound="Record")


class Record:
    """Mixin: dict/JSON round trip for frozen dataclasses, driven by type hints."""

    # Keys written by to_dict() even when they hold their default value.
    _always: ClassVar[frozenset[str]] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            out[f.name] = _dump(getattr(self, f.name))
        return out

    @classmethod
    def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
        if not isinstance(data, Mapping):
            raise SchemaError(f"{cls.__name__}: expected an object, got {type(data).__name__}")
        hints = typing.get_type_hints(cls)
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name in data:
                kwargs[f.name] = _load(hints[f.name], data[f.name], f"{cls.__name__}.{f.name}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise SchemaError(f"{cls.__name__}: missing required key {f.name!r}")
        return cls(**kwargs)

    def to_json(self, **kwargs: Any) -> str:
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_json(cls: type[T], text: str) -> T:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SchemaError(f"{cls.__name__}: not valid JSON ({exc})") from exc
        return cls.from_dict(data)


def _dump(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, tuple | list):
        return [_dump(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _dump(v) for k, v in value.items()}
    return value


def _load(hint: Any, value: Any, where: str) -> Any:
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if value is None:
            return None
        return _load(args[0], value, where) if len(args) == 1 else value
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise SchemaError(f"{where}: expected a list")
        targs = get_args(hint)
        item = targs[0] if targs else Any
        return tuple(_load(item, v, where) for v in value)
    if origin in (dict, Mapping):
        return dict(value)
    if isinstance(hint, type) and issubclass(hint, Record):
        return hint.from_dict(value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


# --- documents -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause(Record):
    """A numbered (or named) clause of a document.

    ``id`` is the clause number as printed (``4.1.2``, ``A.1``, ``Article 3``, ``ANNEX I``,
    ``Статья 7``, ``Приложение 3``) or a stable name for unnumbered front matter
    (``前言``, ``Foreword``). ``parent`` is the id of the enclosing clause, if any.
    """

    id: str
    heading: str
    text: str
    page: int
    end_page: int | None = None
    parent: str | None = None
    level: int = 1
    kind: str = "section"

    @property
    def full_text(self) -> str:
        """Heading and body together, as used for alignment."""
        return f"{self.heading}\n{self.text}".strip() if self.heading else self.text


@dataclass(frozen=True)
class TableRow(Record):
    cells: tuple[str, ...]
    page: int
    # columns each cell spans (a cell merged across value columns applies to each of them;
    # the cells it covers are "" with span 0); empty when every cell is one column
    spans: tuple[int, ...] = ()


@dataclass(frozen=True)
class Table(Record):
    """A table as rows of cells with its header; continuation pages are merged into one table."""

    id: str
    page: int
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    caption: str = ""
    clause_id: str | None = None
    pages: tuple[int, ...] = ()

    def records(self) -> list[dict[str, str]]:
        """Rows as dicts keyed by header (duplicate or blank headings get their column number)."""
        keys: list[str] = []
        for i, h in enumerate(self.header):
            key = h.strip() or f"column {i + 1}"
            keys.append(key if key not in keys else f"{key} ({i + 1})")
        out = []
        for row in self.rows:
            rec = {k: (row.cells[i] if i < len(row.cells) else "") for i, k in enumerate(keys)}
            rec["page"] = str(row.page)
            out.append(rec)
        return out


@dataclass(frozen=True)
class PageHealth(Record):
    """Text-layer health of one page.

    ``status`` is ``ok``, ``empty`` (no text, no image), ``scanned`` (an image without a text
    layer), ``broken_font`` (``(cid:NN)`` runs, private-use or replacement glyphs),
    ``garbled`` (text that does not look like any supported language) or ``ocr`` (one of
    those, read by OCR on request: ``detail`` says how the page was and by which engine and
    languages its text was recognised; ``confidence`` is the engine's mean word confidence,
    0-100).
    """

    page: int
    status: str
    chars: int = 0
    detail: str = ""
    skipped: bool = False  # left out of the document on request (bad_pages="skip")
    confidence: float | None = None  # OCR pages only

    @property
    def ok(self) -> bool:
        """The page has a sound text layer."""
        return self.status == "ok"

    @property
    def ocr(self) -> bool:
        """The page's text was recognised by OCR (not read from a text layer)."""
        return self.status == "ocr"

    @property
    def readable(self) -> bool:
        """The page's text can be used: a sound text layer, or OCR."""
        return self.status in ("ok", "ocr")


@dataclass(frozen=True)
class Adoption(Record):
    """Degree of correspondence with an international standard (IDT, MOD or NEQ)."""

    degree: str
    standard: str
    text: str = ""


@dataclass(frozen=True)
class Metadata(Record):
    code: str | None = None
    title: str | None = None
    title_en: str | None = None
    year: int | None = None
    replaces: tuple[str, ...] = ()
    ics: tuple[str, ...] = ()
    adoption: Adoption | None = None
    issued: str | None = None
    implemented: str | None = None


@dataclass(frozen=True)
class Document(Record):
    """An ingested standard: metadata, clauses, tables, per-page text and health."""

    source: str
    language: str
    pages: int
    metadata: Metadata = field(default_factory=Metadata)
    clauses: tuple[Clause, ...] = ()
    tables: tuple[Table, ...] = ()
    health: tuple[PageHealth, ...] = ()
    page_texts: tuple[str, ...] = ()
    sha256: str = ""

    @property
    def code(self) -> str | None:
        return self.metadata.code

    @property
    def title(self) -> str | None:
        return self.metadata.title

    @property
    def unhealthy_pages(self) -> tuple[PageHealth, ...]:
        """Scanned or broken-font pages whose text is part of the document (not skipped)."""
        return tuple(
            h for h in self.health if not h.readable and h.status != "empty" and not h.skipped
        )

    @property
    def ocr_pages(self) -> tuple[PageHealth, ...]:
        """Pages whose text was recognised by OCR."""
        return tuple(h for h in self.health if h.ocr)

    def clause(self, clause_id: str) -> Clause:
        for c in self.clauses:
            if c.id == clause_id:
                return c
        raise KeyError(clause_id)

    def info(self) -> DocumentInfo:
        m = self.metadata
        adoption = None
        if m.adoption is not None:
            adoption = f"{m.adoption.degree} {m.adoption.standard}".strip()
        return DocumentInfo(
            source=self.source,
            code=m.code,
            title=m.title,
            language=self.language,
            pages=self.pages,
            year=m.year,
            replaces=m.replaces,
            adoption=adoption,
            sha256=self.sha256,
        )

    def save(self, path: str | Path) -> Path:
        """Write the document as JSON (for caching and inspection)."""
        return _atomic_write_text(Path(path), self.to_json(indent=1))

    @classmethod
    def open(cls, path: str | Path) -> Document:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


# --- indicators ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator(Record):
    """A key technical indicator: a limit on a parameter for a product.

    ``value``/``unit`` are as printed (decimal comma read as point). Ranges use ``low`` and
    ``high``; "not detected" uses comparator ``not_detected`` (``value`` then holds the
    detection limit when one is printed). ``parameter_id`` is the canonical glossary id.
    """

    parameter: str
    comparator: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    product: str = ""
    basis: str = ""
    clause_id: str | None = None
    page: int | None = None
    text: str = ""
    method: str = ""
    parameter_id: str | None = None
    product_id: str | None = None
    table_id: str | None = None
    # a measurement/reference condition printed with the limit ("at 20 °C", "20 ℃")
    condition: str = ""
    # the tested quantity of a "not detected" ("25 g" in "absence in 25 g")
    per: str = ""

    CONTRACT_KEYS: ClassVar[tuple[str, ...]] = (
        "clause_id",
        "page",
        "parameter",
        "product",
        "comparator",
        "value",
        "low",
        "high",
        "unit",
        "basis",
        "text",
    )

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        ordered = {k: d.pop(k) for k in self.CONTRACT_KEYS}
        ordered.update(d)
        return ordered

    def describe(self) -> str:
        """Human-readable limit, e.g. ``<= 0.5 mg/kg`` or ``6.5–8.5``."""
        unit = f" {self.unit}" if self.unit else ""
        if self.comparator == "range":
            return f"{_fmt(self.low)}–{_fmt(self.high)}{unit}"
        if self.comparator == "not_detected":
            return "not detected" + (
                f" (< {_fmt(self.value)}{unit})" if self.value is not None else ""
            )
        return f"{self.comparator} {_fmt(self.value)}{unit}"


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    return plain_number(x)


def plain_number(x: float, digits: int = 6) -> str:
    """``x`` to ``digits`` significant digits without an exponent (0.00003, not 3e-05: a
    limit is read by people who compare it with a printed standard); exponents only beyond
    10⁻⁹…10⁹."""
    if x != 0 and not 1e-9 <= abs(x) < 1e9:
        return f"{x:.{digits}g}"
    s = format(Decimal(f"{x:.{digits}g}"), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# --- alignment and comparison --------------------------------------------------------------------


@dataclass(frozen=True)
class ClausePair(Record):
    """Two clauses that answer to each other. ``margin`` is the lead over the runner-up."""

    a_id: str
    b_id: str
    a_text: str
    b_text: str
    score: float
    method: str = "hybrid"
    a_page: int | None = None
    b_page: int | None = None
    margin: float | None = None
    review: bool = False
    # requirement strength of each side (requirement / recommendation / permission /
    # possibility, from shall/should/may/can, 应/宜/可/能, должен/следует/допускается)
    a_strength: str | None = None
    b_strength: str | None = None
    strength_mismatch: bool = False


@dataclass(frozen=True)
class Gap(Record):
    """One row of the gap analysis: an indicator of A against its counterpart in B."""

    parameter: str
    verdict: str
    a: Indicator | None = None
    b: Indicator | None = None
    ratio: float | None = None
    score: float | None = None
    reason: str = ""
    # how many times tighter the stricter side's limit is (>= 1); B's limit restated in A's
    # unit and basis when a conversion was needed; the basis conversion used, by name
    stricter_by: float | None = None
    b_as_a: str = ""
    conversion: str = ""

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise SchemaError(f"Gap.verdict: {self.verdict!r} is not one of {', '.join(VERDICTS)}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter,
            "a": self.a.to_dict() if self.a else None,
            "b": self.b.to_dict() if self.b else None,
            "verdict": self.verdict,
            "ratio": self.ratio,
            "score": self.score,
            "reason": self.reason,
            "stricter_by": self.stricter_by,
            "b_as_a": self.b_as_a,
            "conversion": self.conversion,
        }


@dataclass(frozen=True)
class DocumentInfo(Record):
    """The part of a document a comparison carries (the ``a``/``b`` objects of the JSON)."""

    source: str
    code: str | None
    title: str | None
    language: str
    pages: int
    year: int | None = None
    replaces: tuple[str, ...] = ()
    adoption: str | None = None
    sha256: str = ""


@dataclass(frozen=True)
class CorrespondenceFinding(Record):
    """One technical difference found between a GB standard and the standard it adopts.

    ``kind`` is ``indicator`` (a gap that is not ``equal``) or ``clause`` (a requirement
    clause without a counterpart). ``listed`` is True when the GB document's list of
    technical differences (foreword or annex) covers it; ``listed_as`` quotes that item.
    """

    kind: str
    detail: str
    parameter: str = ""
    verdict: str | None = None
    a_clause: str | None = None
    b_clause: str | None = None
    listed: bool = False
    listed_as: str = ""


@dataclass(frozen=True)
class CorrespondenceCheck(Record):
    """Check of a stated degree of correspondence (IDT, MOD, NEQ) against the comparison.

    ``claimed_by`` is ``a`` or ``b``: the document that states it adopts ``standard``.
    ``status`` is ``consistent``, ``flagged`` (an IDT claim with technical differences, or a
    MOD claim with differences its list does not give) or ``not_checked`` (NEQ).
    """

    degree: str
    standard: str
    claimed_by: str
    status: str
    message: str
    counterpart: str | None = None
    statement: str = ""
    findings: tuple[CorrespondenceFinding, ...] = ()
    listed_differences: tuple[str, ...] = ()
    note: str = ""

    @property
    def flagged(self) -> bool:
        return self.status == "flagged"

    @property
    def unlisted(self) -> tuple[CorrespondenceFinding, ...]:
        """Findings the GB document does not declare (all of them for an IDT claim)."""
        return tuple(f for f in self.findings if not f.listed)


@dataclass(frozen=True)
class Comparison(Record):
    """The result of comparing document A with document B.

    ``gaps`` and ``clause_pairs`` are pandas DataFrames (one row per gap / pair) for notebook
    use; the underlying objects are in ``gap_list`` and ``pair_list``.
    """

    a: DocumentInfo
    b: DocumentInfo
    pair_list: tuple[ClausePair, ...] = ()
    gap_list: tuple[Gap, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # check of an IDT/MOD/NEQ adoption claim, when one document adopts the other
    correspondence: CorrespondenceCheck | None = None

    # -- views -------------------------------------------------------------------------------

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(VERDICTS, 0)
        for g in self.gap_list:
            counts[g.verdict] += 1
        return counts

    @property
    def gaps(self) -> pd.DataFrame:
        """One row per gap: parameter, verdict, both sides' limits, clauses, pages, reason."""
        import pandas as pd

        rows = [_gap_row(g) for g in self.gap_list]
        return pd.DataFrame(rows, columns=list(_GAP_COLUMNS))

    @property
    def clause_pairs(self) -> pd.DataFrame:
        import pandas as pd

        rows = [p.to_dict() for p in self.pair_list]
        cols = [f.name for f in dataclasses.fields(ClausePair)]
        return pd.DataFrame(rows, columns=cols)

    def __iter__(self) -> Iterator[Gap]:
        return iter(self.gap_list)

    def __len__(self) -> int:
        return len(self.gap_list)

    # -- serialisation -----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": COMPARISON_SCHEMA,
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "clause_pairs": [p.to_dict() for p in self.pair_list],
            "gaps": [g.to_dict() for g in self.gap_list],
            "summary": self.summary,
            "meta": _dump(self.meta),
        } | ({"correspondence": self.correspondence.to_dict()} if self.correspondence else {})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Comparison:
        if not isinstance(data, Mapping):
            raise SchemaError("comparison: expected a JSON object")
        schema = data.get("schema")
        if schema != COMPARISON_SCHEMA:
            raise SchemaError(f"comparison: schema {schema!r} is not {COMPARISON_SCHEMA!r}")
        try:
            return cls(
                a=DocumentInfo.from_dict(data["a"]),
                b=DocumentInfo.from_dict(data["b"]),
                pair_list=tuple(ClausePair.from_dict(p) for p in data.get("clause_pairs", [])),
                gap_list=tuple(Gap.from_dict(g) for g in data.get("gaps", [])),
                meta=dict(data.get("meta") or {}),
                correspondence=(
                    CorrespondenceCheck.from_dict(data["correspondence"])
                    if data.get("correspondence")
                    else None
                ),
            )
        except KeyError as exc:
            raise SchemaError(f"comparison: missing key {exc}") from exc

    def to_json(self, path: str | Path | None = None, **kwargs: Any) -> str:
        """Return the comparison-v1 JSON text; with ``path``, also write it (atomically)."""
        kwargs.setdefault("ensure_ascii", False)
        kwargs.setdefault("indent", 2)
        text = json.dumps(self.to_dict(), **kwargs)
        if path is not None:
            _atomic_write_text(Path(path), text + "\n")
        return text

    @classmethod
    def load(cls, path: str | Path) -> Comparison:
        """Read a comparison-v1 JSON file."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    def to_html(self, path: str | Path | None = None, **options: Any) -> str:
        """Render the self-contained HTML gap report; with ``path``, also write it."""
        from .report.html import render_html

        html = render_html(self, **options)
        if path is not None:
            _atomic_write_text(Path(path), html)
        return html

    def to_csv(self, path: str | Path) -> tuple[Path, Path]:
        """Write the gaps to ``path`` and the clause pairs to ``<stem>.clause_pairs.csv``."""
        from .report.tables import write_csv

        return write_csv(self, path)

    def to_xlsx(self, path: str | Path, **options: Any) -> Path:
        """Write an Excel workbook (Summary, Exporter view, Gaps, Clause pairs)."""
        from .report.tables import write_xlsx

        return write_xlsx(self, path, **options)

    def to_tmx(self, path: str | Path | None = None, **options: Any) -> bytes:
        """TMX 1.4b of the aligned clause pairs; with ``path``, also write it."""
        from .report.tmx import build_tmx

        data = build_tmx(self, **options)
        if path is not None:
            from ._io import atomic_write_bytes

            atomic_write_bytes(path, data)
        return data

    def _repr_html_(self) -> str:
        from .report.html import render_summary_html

        return render_summary_html(self)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.summary.items() if v)
        return (
            f"<Comparison {self.a.code or self.a.source} vs {self.b.code or self.b.source}: "
            f"{len(self.pair_list)} clause pairs, {len(self.gap_list)} gaps ({counts})>"
        )


_GAP_COLUMNS = (
    "parameter",
    "verdict",
    "ratio",
    "score",
    "reason",
    "stricter_by",
    "b_as_a",
    "conversion",
    "a_product",
    "a_limit",
    "a_comparator",
    "a_value",
    "a_low",
    "a_high",
    "a_unit",
    "a_basis",
    "a_clause",
    "a_page",
    "a_text",
    "b_product",
    "b_limit",
    "b_comparator",
    "b_value",
    "b_low",
    "b_high",
    "b_unit",
    "b_basis",
    "b_clause",
    "b_page",
    "b_text",
)


def _gap_row(g: Gap) -> dict[str, Any]:
    row: dict[str, Any] = {
        "parameter": g.parameter,
        "verdict": g.verdict,
        "ratio": g.ratio,
        "score": g.score,
        "reason": g.reason,
        "stricter_by": g.stricter_by,
        "b_as_a": g.b_as_a,
        "conversion": g.conversion,
    }
    for side, ind in (("a", g.a), ("b", g.b)):
        row.update(
            {
                f"{side}_product": ind.product if ind else None,
                f"{side}_limit": ind.describe() if ind else None,
                f"{side}_comparator": ind.comparator if ind else None,
                f"{side}_value": ind.value if ind else None,
                f"{side}_low": ind.low if ind else None,
                f"{side}_high": ind.high if ind else None,
                f"{side}_unit": ind.unit if ind else None,
                f"{side}_basis": ind.basis if ind else None,
                f"{side}_clause": ind.clause_id if ind else None,
                f"{side}_page": ind.page if ind else None,
                f"{side}_text": ind.text if ind else None,
            }
        )
    return row


def _atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` via a temporary file in the same folder, then rename."""
    from ._io import atomic_write_text

    return atomic_write_text(path, text)


__all__ = [
    "COMPARATORS",
    "COMPARISON_SCHEMA",
    "VERDICTS",
    "Adoption",
    "Clause",
    "ClausePair",
    "Comparison",
    "CorrespondenceCheck",
    "CorrespondenceFinding",
    "Document",
    "DocumentInfo",
    "Gap",
    "Indicator",
    "Metadata",
    "PageHealth",
    "Table",
    "TableRow",
]
