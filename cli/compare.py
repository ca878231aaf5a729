"""``stdcompare compare A B``: the gap analysis of two standards."""

from __future__ import annotations

import click

from .common import (
    cache_option,
    embedder_option,
    handle_errors,
    no_cache_option,
    ocr_option,
    output_path,
    progress,
    quiet_option,
)
from .library import library_option


def _conversion_names() -> list[str]:
    from stdcompare.gaps.conversions import named_conversions

    return sorted(named_conversions())


def _check_conversions(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    from stdcompare.errors import UnknownChoice
    from stdcompare.gaps.conversions import resolve_conversions

    try:
        return tuple(c.name for c in resolve_conversions(list(value)))
    except UnknownChoice as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc


@click.command("compare")
@click.argument("a", type=click.Path(dir_okay=False))
@click.argument("b", type=click.Path(dir_okay=False))
@click.option(
    "--json",
    "json_out",
    metavar="FILE",
    help="Write the comparison JSON (schema stdcompare/comparison-v1).",
)
@click.option(
    "--html", "html_out", metavar="FILE", help="Write the self-contained HTML gap report."
)
@click.option(
    "--xlsx",
    "xlsx_out",
    metavar="FILE",
    help="Write an Excel workbook: summary, exporter view, gaps, clause pairs.",
)
@click.option(
    "--csv",
    "csv_out",
    metavar="FILE",
    help="Write the gaps as CSV to FILE and the clause pairs to FILE's stem + "
    "'.clause_pairs.csv' (UTF-8 with BOM).",
)
@click.option(
    "--tmx",
    "tmx_out",
    metavar="FILE",
    help="Write the aligned clause pairs as a TMX 1.4b translation memory (pairs marked "
    "for review are left out).",
)
@click.option(
    "--convert",
    "conversions",
    multiple=True,
    metavar="NAME",
    callback=_check_conversions,
    help="Enable a stated basis conversion (repeatable): "
    + ", ".join(_conversion_names())
    + ". E.g. nitrate-N:NO3 compares nitrate as N with nitrate as NO3 (×4.427); without it "
    "such limits are 'not comparable'.",
)
@click.option("--company", metavar="NAME", help="Exporter's company name, printed on the reports.")
@click.option(
    "--lei",
    metavar="LEI",
    help="Exporter's Legal Entity Identifier (ISO 17442, 20 characters; check digits verified).",
)
@embedder_option
@cache_option
@no_cache_option
@click.option(
    "--skip-bad-pages",
    is_flag=True,
    help="Leave out scanned or broken-font pages instead of refusing the document.",
)
@ocr_option
@library_option
@quiet_option
@handle_errors
def compare(
    a: str,
    b: str,
    json_out: str | None,
    html_out: str | None,
    xlsx_out: str | None,
    csv_out: str | None,
    tmx_out: str | None,
    conversions: tuple[str, ...],
    company: str | None,
    lei: str | None,
    embedder: str,
    cache_dir: str | None,
    no_cache: bool,
    skip_bad_pages: bool,
    ocr: bool,
    library_path: str | None,
    quiet: bool,
) -> None:
    """Compare standard A (e.g. the GB standard) with standard B (the foreign one).

    A and B are PDF files (or UTF-8 .txt), or codes of standards stored with `stdcompare
    library add` ("GB 5749" for the newest edition, "GB 5749—2022" for one). At least one
    output is required. Outputs are written only when the whole comparison succeeds.

    \b
    Examples:
      stdcompare compare GB5749.pdf EU2020-2184.pdf --html r.html --xlsx r.xlsx
      stdcompare compare GB5749.pdf EU2020-2184.pdf --json c.json --convert nitrate-N:NO3
      stdcompare compare GB2762.pdf EU2023-915.pdf --html r.html --company "ACME Foods" \\
          --lei 5493001KJTIIGC8Y1R12
    """
    import dataclasses

    import stdcompare

    outputs = {
        "json": output_path(json_out),
        "html": output_path(html_out),
        "xlsx": output_path(xlsx_out),
        "csv": output_path(csv_out),
        "tmx": output_path(tmx_out),
    }
    if not any(outputs.values()):
        raise click.UsageError(
            "give at least one output: --json, --html, --xlsx, --csv and/or --tmx FILE"
        )
    profile: dict[str, str] = {}
    if company and company.strip():
        profile["company"] = " ".join(company.split())
    if lei is not None:
        from stdcompare.lei import validate_lei

        profile["lei"] = validate_lei(lei)  # fail before any work is done
    cache: object = False if no_cache else (cache_dir or True)
    with progress(not quiet) as say:
        say("reading documents")
        bad = "skip" if skip_bad_pages else "error"
        from stdcompare.library import resolve

        # a file, or a code from the library
        da = resolve(a, library_path, bad_pages=bad, ocr=ocr)
        db = resolve(b, library_path, bad_pages=bad, ocr=ocr)
        result = stdcompare.compare(
            da,
            db,
            embedder=embedder,
            cache=cache,  # type: ignore[arg-type]
            conversions=list(conversions) or None,
            progress=say,
        )
        if profile:
            result = dataclasses.replace(result, meta={**result.meta, "exporter": profile})
        say("writing reports")
        written: list[tuple[str, object]] = []
        if outputs["json"]:
            result.to_json(outputs["json"])
            written.append(("json", outputs["json"]))
        if outputs["html"]:
            result.to_html(outputs["html"])
            written.append(("html", outputs["html"]))
        if outputs["xlsx"]:
            result.to_xlsx(outputs["xlsx"])
            written.append(("xlsx", outputs["xlsx"]))
        if outputs["csv"]:
            gaps_csv, pairs_csv = result.to_csv(outputs["csv"])
            written += [("csv", gaps_csv), ("csv", pairs_csv)]
        if outputs["tmx"]:
            result.to_tmx(outputs["tmx"])
            written.append(("tmx", outputs["tmx"]))
    s = result.summary
    click.echo(
        f"{result.a.code or a} vs {result.b.code or b}: {len(result.pair_list)} clause pairs, "
        f"{len(result.gap_list)} gaps — " + ", ".join(f"{k} {v}" for k, v in s.items())
    )
    for label, pages in result.meta.get("ocr_pages", {}).items():
        if pages:
            doc = da if label == "a" else db
            click.echo(
                f"note: {doc.code or (a if label == 'a' else b)}: text of {_pages(pages)} "
                "recognised by OCR; check its limits against the original"
            )
    for kind, path in written:
        click.echo(f"{kind}: {path}")


def _pages(pages: list[int]) -> str:
    from stdcompare.ingest.health import page_list

    return page_list(pages)
