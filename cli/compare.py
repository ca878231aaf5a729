"""``stdcompare compare A B``: the gap analysis of two standards."""

from __future__ import annotations

import click

from .common import (
    cache_option,
    embedder_option,
    handle_errors,
    no_cache_option,
    output_path,
    progress,
    quiet_option,
)


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
@embedder_option
@cache_option
@no_cache_option
@click.option(
    "--skip-bad-pages",
    is_flag=True,
    help="Leave out scanned or broken-font pages instead of refusing the document.",
)
@quiet_option
@handle_errors
def compare(
    a: str,
    b: str,
    json_out: str | None,
    html_out: str | None,
    embedder: str,
    cache_dir: str | None,
    no_cache: bool,
    skip_bad_pages: bool,
    quiet: bool,
) -> None:
    """Compare standard A (e.g. the GB standard) with standard B (the foreign one).

    A and B are PDF files (or UTF-8 .txt). At least one output is required. Outputs are
    written only when the whole comparison succeeds.
    """
    import stdcompare

    outputs = {"json": output_path(json_out), "html": output_path(html_out)}
    if not any(outputs.values()):
        raise click.UsageError("give at least one output: --json FILE and/or --html FILE")
    cache: object = False if no_cache else (cache_dir or True)
    with progress(not quiet) as say:
        say("reading documents")
        bad = "skip" if skip_bad_pages else "error"
        da = stdcompare.load(a, bad_pages=bad)
        db = stdcompare.load(b, bad_pages=bad)
        result = stdcompare.compare(da, db, embedder=embedder, cache=cache, progress=say)  # type: ignore[arg-type]
        say("writing reports")
        if outputs["json"]:
            result.to_json(outputs["json"])
        if outputs["html"]:
            result.to_html(outputs["html"])
    s = result.summary
    click.echo(
        f"{result.a.code or a} vs {result.b.code or b}: {len(result.pair_list)} clause pairs, "
        f"{len(result.gap_list)} gaps — " + ", ".join(f"{k} {v}" for k, v in s.items())
    )
    for kind, path in outputs.items():
        if path:
            click.echo(f"{kind}: {path}")
