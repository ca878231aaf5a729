"""Spreadsheet exports of a comparison: CSV (two files) and XLSX (one workbook, openpyxl).

Both carry every gap (parameter, verdict, both limits with clause and page, ratio,
how much stricter, reason) and every aligned clause pair (ids, pages, texts, score,
requirement strength). Files are written atomically: a failed export leaves no partial file.

Text from documents is data, never a formula: in the XLSX every string cell is stored as a
string (so ``=HYPERLINK(…)`` in a document stays text), and in the CSV a text cell that
starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe, as
OWASP advises against CSV injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._io import atomic_path, atomic_write_text
from ..model import _GAP_COLUMNS, VERDICTS, ClausePair, Comparison, _gap_row

PAIR_COLUMNS = (
    "a_id",
    "a_page",
    "a_strength",
    "a_text",
    "b_id",
    "b_page",
    "b_strength",
    "b_text",
    "score",
    "margin",
    "method",
    "review",
    "strength_mismatch",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def gap_rows(comparison: Comparison) -> list[dict[str, Any]]:
    return [_gap_row(g) for g in comparison.gap_list]


def pair_rows(comparison: Comparison) -> list[dict[str, Any]]:
    return [_pair_row(p) for p in comparison.pair_list]


def _pair_row(p: ClausePair) -> dict[str, Any]:
    d = p.to_dict()
    return {k: d.get(k) for k in PAIR_COLUMNS}


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_text(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(row.get(k)) for k in columns})
    return buf.getvalue()


def pairs_csv_path(path: str | Path) -> Path:
    """Where :func:`write_csv` puts the clause pairs: ``gaps.csv`` → ``gaps.clause_pairs.csv``."""
    p = Path(path)
    return p.with_name(f"{p.stem}.clause_pairs{p.suffix or '.csv'}")


def write_csv(comparison: Comparison, path: str | Path) -> tuple[Path, Path]:
    """Write the gaps to ``path`` and the clause pairs beside it (:func:`pairs_csv_path`).

    UTF-8 with a byte-order mark, so spreadsheet programs read Chinese and Russian right.
    Returns both paths.
    """
    gaps_text = _csv_text(_GAP_COLUMNS, gap_rows(comparison))
    pairs_text = _csv_text(PAIR_COLUMNS, pair_rows(comparison))
    pairs_path = pairs_csv_path(path)
    atomic_write_text(path, gaps_text, encoding="utf-8-sig")
    atomic_write_text(pairs_path, pairs_text, encoding="utf-8-sig")
    return Path(path), pairs_path


# --- XLSX ----------------------------------------------------------------------------------------

_FILLS = {
    "a_stricter": "CFE0F1",
    "b_stricter": "F3D0D0",
    "equal": "D3EAD3",
    "only_a": "E3ECF5",
    "only_b": "F7E3E3",
    "not_comparable": "EFE5C8",
}
_WIDTHS = {"reason": 60, "a_text": 60, "b_text": 60, "b_as_a": 22, "parameter": 22}


def write_xlsx(
    comparison: Comparison,
    path: str | Path,
    *,
    company: str | None = None,
    lei: str | None = None,
) -> Path:
    """Write an Excel workbook: Summary, Exporter view, Gaps and Clause pairs sheets."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        from ..errors import MissingDependency

        raise MissingDependency("openpyxl", "the XLSX export", "pip install openpyxl") from exc
    from .html import VERDICT_LABELS, _profile, exporter_view

    profile = _profile(comparison, company, lei)
    wb = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def put(ws: Any, row: int, col: int, value: Any) -> Any:
        cell = ws.cell(row=row, column=col, value=_xlsx_value(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell

    def table(ws: Any, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
        for j, name in enumerate(columns, 1):
            put(ws, 1, j, name).font = bold
            ws.column_dimensions[get_column_letter(j)].width = _WIDTHS.get(name, 14)
        for i, row in enumerate(rows, 2):
            for j, name in enumerate(columns, 1):
                cell = put(ws, i, j, row.get(name))
                if name.endswith("_text") or name == "reason":
                    cell.alignment = wrap
            verdict = row.get("verdict")
            if verdict in _FILLS:
                col = list(columns).index("verdict") + 1
                ws.cell(row=i, column=col).fill = PatternFill("solid", fgColor=_FILLS[verdict])
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"

    ws = wb.active
    ws.title = "Summary"
    lines: list[tuple[str, Any]] = [("stdcompare gap analysis", "")]
    if profile:
        lines += [("Prepared for", profile.get("company", "")), ("LEI", profile.get("lei", ""))]
    for side, d in (("A", comparison.a), ("B", comparison.b)):
        lines += [
            (f"{side} code", d.code),
            (f"{side} title", d.title),
            (f"{side} edition", d.year),
            (f"{side} replaces", ", ".join(d.replaces)),
            (f"{side} language", d.language),
            (f"{side} pages", d.pages),
            (f"{side} adoption", d.adoption),
            (f"{side} source", d.source),
        ]
    lines.append(("", ""))
    lines.append(("verdict", "gaps"))
    summary = comparison.summary
    lines += [(VERDICT_LABELS[v], summary[v]) for v in VERDICTS]
    lines.append(("aligned clause pairs", len(comparison.pair_list)))
    for i, (k, v) in enumerate(lines, 1):
        put(ws, i, 1, k).font = bold
        put(ws, i, 2, v)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 70

    view = exporter_view(comparison)
    ws = wb.create_sheet("Exporter view")
    rows = [_gap_row(g) | {"group": "stricter in target market"} for g in view.stricter]
    rows += [_gap_row(g) | {"group": "only in target market"} for g in view.only_foreign]
    rows += [_gap_row(g) | {"group": "check by hand"} for g in view.unclear]
    table(ws, ("group", *_GAP_COLUMNS), rows)

    table(wb.create_sheet("Gaps"), _GAP_COLUMNS, gap_rows(comparison))
    table(wb.create_sheet("Clause pairs"), PAIR_COLUMNS, pair_rows(comparison))
    with atomic_path(path, suffix=".xlsx") as tmp:
        wb.save(tmp)
    return Path(path)


def _xlsx_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return text[:32767]  # Excel's limit for one cell
