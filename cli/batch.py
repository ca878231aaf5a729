"""``stdcompare batch MANIFEST --out DIR``: compare many pairs, locally or on a Dask cluster."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .common import cache_option, embedder_option, handle_errors, no_cache_option, quiet_option

EXIT_CODES_HELP = (
    "Exit status: 0 every pair compared (or already up to date); 3 some pairs failed, the "
    "others completed; 4 every pair failed; 1 the batch could not start (malformed manifest, "
    "bad option, unreachable scheduler); 130 interrupted."
)


@click.command("batch", epilog=EXIT_CODES_HELP)
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "-o",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Output folder: index.html, summary.csv and pairs/NAME/ (created if missing).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Local worker processes [default: the number of usable cores].",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Run on a Dask cluster instead of local processes, e.g. tcp://10.0.0.5:8786 "
    "(needs stdcompare[dask]).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Compare every pair again, even those whose outputs are up to date.",
)
@embedder_option
@cache_option
@no_cache_option
@click.option(
    "--skip-bad-pages",
    is_flag=True,
    help="Default for pairs that do not say: leave out scanned or broken-font pages instead "
    "of failing the pair.",
)
@click.option(
    "--ocr",
    is_flag=True,
    help="Default for pairs that do not say: read scanned and broken-font pages with OCR "
    "(Tesseract; apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-rus).",
)
@click.option(
    "--format",
    "formats",
    metavar="LIST",
    default=None,
    help="Outputs per pair, comma separated: json, html, xlsx [default: all available].",
)
@click.option(
    "--library",
    type=click.Path(dir_okay=False),
    default=None,
    help="Standards library for manifest values that are codes rather than files, e.g. "
    "'GB 5749—2022' [default: $STDCOMPARE_LIBRARY or the user library].",
)
@quiet_option
@handle_errors
def batch(
    manifest: str,
    out_dir: str,
    jobs: int | None,
    scheduler: str | None,
    force: bool,
    embedder: str,
    cache_dir: str | None,
    no_cache: bool,
    skip_bad_pages: bool,
    ocr: bool,
    formats: str | None,
    library: str | None,
    quiet: bool,
) -> None:
    """Compare every pair listed in MANIFEST and write one report folder per pair.

    MANIFEST is a CSV or YAML file with the columns name, a, b and optional per-pair
    options (embedder, skip_bad_pages, ocr, a_language, b_language, conversions, notes).
    Relative paths are read from the manifest's folder; a value without a document suffix
    (.pdf, .txt, .md, .json) that is not a file is a code from the standards library. A
    malformed manifest is reported with its line number before any work starts.

    Each document is read once, however many pairs use it. A pair that fails (missing
    file, corrupt or scanned PDF) is listed with its error in summary.csv and index.html;
    the others still complete. Running the same command again skips pairs whose inputs,
    options and stdcompare version are unchanged.

    \b
    Examples:
      stdcompare batch corpora/manifest.csv --out out/batch
      stdcompare batch pairs.yaml --out out/batch --jobs 4 --force
      stdcompare batch pairs.csv --out /shared/out --scheduler tcp://10.0.0.5:8786
    """
    from stdcompare.batch import read_manifest, run_batch

    m = read_manifest(manifest)  # report a malformed manifest before anything else
    cache: Any = False if no_cache else (cache_dir or True)
    with _progress(enabled=not quiet) as on_event:
        result = run_batch(
            m,
            out_dir,
            jobs=jobs,
            scheduler=scheduler,
            force=force,
            progress=on_event,
            embedder=embedder,
            skip_bad_pages=skip_bad_pages,
            ocr=ocr,
            cache=cache,
            formats=formats,
            resolver=_code_resolver(library),
        )
    counts = {s: len(result.by_status(s)) for s in ("done", "up_to_date", "failed")}
    took = f"{result.seconds:.1f} s" if result.seconds < 120 else f"{result.seconds / 60:.1f} min"
    click.echo(
        f"{len(result)} pairs: {counts['done']} compared, {counts['up_to_date']} up to date, "
        f"{counts['failed']} failed in {took} ({result.backend})"
    )
    for p in result.failed:
        click.echo(f"failed: {p.name}: {p.error}", err=True)
    click.echo(f"index: {result.index_html}")
    click.echo(f"summary: {result.summary_csv}")
    if result.exit_code:
        sys.exit(result.exit_code)


DOCUMENT_SUFFIXES = (".pdf", ".txt", ".md", ".text", ".json")


def _code_resolver(library: str | None) -> Callable[[str, Path], Any] | None:
    """Look up manifest values that name a standard (not a document file) in the library."""
    try:
        from stdcompare.library import library_resolver
    except ImportError:  # pragma: no cover - the library ships with stdcompare
        return None
    lookup = library_resolver(library)

    def resolver(value: str, base_dir: Path) -> Any:
        if Path(value).suffix.lower() in DOCUMENT_SUFFIXES:
            return None  # a file name: a missing file is reported as such
        return lookup(value, base_dir)

    return resolver


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[Any], None] | None]:
    """A rich progress bar with ETA on a terminal, plain log lines otherwise."""
    if not enabled:
        yield None
        return
    if not sys.stderr.isatty():
        yield _log_line
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    ) as bar:
        tasks: dict[str, Any] = {}

        def on_event(ev: Any) -> None:
            if ev.kind == "start":
                console.print(f"stdcompare: {ev.message}", markup=False, highlight=False)
                if ev.docs_total:
                    tasks["docs"] = bar.add_task("documents", total=ev.docs_total)
                if ev.pairs_total:
                    tasks["pairs"] = bar.add_task("pairs", total=ev.pairs_total)
            elif ev.kind == "document" and "docs" in tasks:
                bar.update(tasks["docs"], completed=ev.docs_done, total=ev.docs_total)
                d = ev.document
                if d is not None and d.status == "failed":
                    console.print(f"document failed: {d.error}", markup=False, style="yellow")
            elif ev.kind == "pair" and "pairs" in tasks:
                bar.update(tasks["pairs"], completed=ev.pairs_done)
                p = ev.pair
                if p is not None and p.status == "failed":
                    console.print(f"failed: {p.name}: {p.error}", markup=False, style="red")

        yield on_event


def _log_line(ev: Any) -> None:
    say = lambda msg: click.echo(f"stdcompare: {msg}", err=True)  # noqa: E731
    if ev.kind == "start":
        say(ev.message)
    elif ev.kind == "document" and ev.document is not None:
        d = ev.document
        if d.status == "failed":
            say(f"document {ev.docs_done}/{ev.docs_total} failed: {d.error}")
        else:
            say(
                f"document {ev.docs_done}/{ev.docs_total} read: {d.source} ({d.pages} pages, {d.seconds:.1f} s)"
            )
    elif ev.kind == "pair" and ev.pair is not None:
        p = ev.pair
        head = f"[{ev.pairs_done}/{ev.pairs_total}] {p.name}"
        if p.status == "failed":
            say(f"{head}: FAILED: {p.error}")
        else:
            say(f"{head}: {p.gaps} gaps in {p.seconds:.1f} s")
