"""``stdcompare indicators FILE``: the key indicators of one standard."""

from __future__ import annotations

import json

import click

from .common import handle_errors, ocr_option, output_path


@click.command("indicators")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--json",
    "json_out",
    metavar="FILE",
    help="Write a JSON list of indicator records (default: print to stdout).",
)
@click.option(
    "--skip-bad-pages",
    is_flag=True,
    help="Leave out scanned or broken-font pages instead of refusing the document.",
)
@ocr_option
@handle_errors
def indicators(file: str, json_out: str | None, skip_bad_pages: bool, ocr: bool) -> None:
    """Extract the key indicators (parameter, product, comparator, value, unit, basis, test
    method) of one standard, with clause and page of each."""
    import stdcompare
    from stdcompare._io import atomic_write_text

    out = output_path(json_out)
    doc = stdcompare.load(file, bad_pages="skip" if skip_bad_pages else "error", ocr=ocr)
    records = [i.to_dict() for i in stdcompare.extract(doc)]
    text = json.dumps(records, ensure_ascii=False, indent=2)
    if out is None:
        click.echo(text)
        return
    atomic_write_text(out, text + "\n")
    click.echo(f"{len(records)} indicators from {doc.code or file} → {out}")
    if doc.ocr_pages:
        from stdcompare.ingest.health import page_list

        click.echo(f"note: text of {page_list([h.page for h in doc.ocr_pages])} recognised by OCR")
