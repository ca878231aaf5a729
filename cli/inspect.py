"""``stdcompare inspect FILE``: what ingestion makes of one standard."""

from __future__ import annotations

import json
from typing import Any

import click

from .common import handle_errors, ocr_option, output_path, progress, quiet_option

INSPECT_SCHEMA = "stdcompare/inspect-v1"


@click.command("inspect")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--json",
    "json_out",
    metavar="FILE",
    help="Write everything as JSON to FILE ('-' for stdout): metadata, health per page, "
    "clauses with their text, tables with their rows.",
)
@click.option(
    "--rows",
    default=3,
    show_default=True,
    metavar="N",
    type=click.IntRange(min=0),
    help="Table rows to print per table (all of them are in --json).",
)
@click.option("--text", "with_text", is_flag=True, help="Add the page texts to the JSON output.")
@click.option(
    "--language",
    type=click.Choice(["zh", "en", "ru"]),
    default=None,
    help="Language of the document (default: detected).",
)
@ocr_option
@quiet_option
@handle_errors
def inspect(
    file: str,
    json_out: str | None,
    rows: int,
    with_text: bool,
    language: str | None,
    ocr: bool,
    quiet: bool,
) -> None:
    """Show what stdcompare reads from FILE: metadata (code, title, edition replaced, ICS,
    adoption statement), the text-layer health of each page, the clause tree and the tables.

    Pages whose text layer is unusable (scanned, broken CID font) are reported here, not
    refused; `stdcompare compare` refuses such documents.
    """
    from stdcompare._io import atomic_write_text
    from stdcompare.ingest import load
    from stdcompare.ingest.health import summarize

    to_stdout = json_out == "-"
    out = None if json_out in (None, "-") else output_path(json_out)
    with progress(not quiet and not to_stdout) as say:
        say(f"reading {file}")

        def report(done: int, total: int) -> None:
            say(f"reading {file}: page {done} of {total}")

        doc = load(file, bad_pages="keep", language=language, progress=report, ocr=ocr)
    if json_out is not None:
        data = _as_json(doc, with_text)
        data["health_summary"] = summarize(doc.health) or "ok"
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if to_stdout:
            click.echo(text)
            return
        assert out is not None
        atomic_write_text(out, text + "\n")
    _print(doc, rows, summarize(tuple(h for h in doc.health if not h.ocr)))
    if out is not None:
        click.echo(f"json: {out}")


def _as_json(doc: Any, with_text: bool) -> dict[str, Any]:
    data = doc.to_dict()
    if not with_text:
        data.pop("page_texts", None)
    for t, tdata in zip(doc.tables, data["tables"], strict=True):
        tdata["records"] = t.records()
    return {"schema": INSPECT_SCHEMA, **data}


def _print(doc: Any, rows: int, bad: str) -> None:
    m = doc.metadata
    echo = click.echo
    echo(click.style(f"{m.code or '(no code found)'}", bold=True) + f" — {m.title or '(no title)'}")
    if m.title_en:
        echo(f"  English title: {m.title_en}")
    echo(f"  source: {doc.source}  ({doc.pages} pages, language {doc.language})")
    facts = [
        ("year", m.year),
        ("replaces", ", ".join(m.replaces)),
        ("ICS", ", ".join(m.ics)),
        ("issued", m.issued),
        ("implemented", m.implemented),
    ]
    for key, value in facts:
        if value:
            echo(f"  {key}: {value}")
    if m.adoption:
        echo(f"  adoption: {m.adoption.degree} {m.adoption.standard}")
        if m.adoption.text:
            echo(f"    “{m.adoption.text}”")
    echo("")
    if doc.ocr_pages:
        from stdcompare.ingest.health import page_list

        pages = page_list([h.page for h in doc.ocr_pages])
        echo(click.style(f"text recognised by OCR on {pages}", fg="yellow", bold=True))
        for h in doc.ocr_pages:
            echo(f"  page {h.page}: {h.detail}")
    if bad:
        echo(click.style(f"text layer: {bad}", fg="red", bold=True))
        for h in doc.unhealthy_pages:
            echo(f"  page {h.page}: {h.status} — {h.detail}")
        echo(
            "  `stdcompare compare` refuses this document; pass --ocr to read these pages "
            "with OCR (Tesseract), or --skip-bad-pages to compare only the readable pages."
        )
    elif not doc.ocr_pages:
        empty = [h.page for h in doc.health if h.status == "empty"]
        note = f" ({len(empty)} blank)" if empty else ""
        echo(f"text layer: ok on all {doc.pages} pages{note}")
    echo("")
    echo(click.style(f"clauses ({len(doc.clauses)})", bold=True))
    depth: dict[str, int] = {}
    for c in doc.clauses:
        d = depth.get(c.parent, -1) + 1 if c.parent else 0
        depth[c.id] = d
        heading = f"  {c.heading}" if c.heading and c.heading != c.id else ""
        pages = f"p.{c.page}" + (f"–{c.end_page}" if c.end_page and c.end_page != c.page else "")
        echo(f"{'  ' * (d + 1)}{c.id}{heading}  [{pages}]")
    echo("")
    echo(click.style(f"tables ({len(doc.tables)})", bold=True))
    for t in doc.tables:
        pages = ", ".join(str(p) for p in t.pages) if t.pages else str(t.page)
        where = f" in {t.clause_id}" if t.clause_id else ""
        caption = f" “{t.caption}”" if t.caption else ""
        echo(f"  {t.id}{caption}{where} — pages {pages}, {len(t.rows)} rows")
        if any(t.header):
            echo(f"    header: {' | '.join(h or '·' for h in t.header)}")
        for r in t.rows[:rows]:
            cells = " | ".join(_short(c) or "·" for c in r.cells)
            echo(f"    p.{r.page}: {cells}")
        if len(t.rows) > rows > 0:
            echo(f"    … {len(t.rows) - rows} more rows")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
