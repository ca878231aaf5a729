"""``stdcompare library …``: the local library of ingested standards."""

from __future__ import annotations

import json
from typing import Any

import click

from .common import handle_errors

library_option = click.option(
    "--library",
    "library_path",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="PATH",
    help="Library file (default: $STDCOMPARE_LIBRARY, else "
    "$XDG_DATA_HOME/stdcompare/library.sqlite, else ~/.local/share/stdcompare/library.sqlite).",
)
json_flag = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def _open(library_path: str | None, *, create: bool) -> Any:
    from stdcompare.library import Library

    return Library(library_path, create=create)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _table(rows: list[list[str]], headers: list[str]) -> None:
    """A plain aligned table (wide characters counted as two columns)."""
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    widths = [max([width(h)] + [width(r[k]) for r in rows]) for k, h in enumerate(headers)]
    for r in [headers, *rows]:
        cells = [c + " " * (widths[k] - width(c)) for k, c in enumerate(r)]
        click.echo("  ".join(cells).rstrip())


@click.group("library")
def library() -> None:
    """Keep ingested standards in a local library and search them.

    \b
    Examples:
      stdcompare library add GB5749-2006.pdf GB5749-2022.pdf
      stdcompare library list
      stdcompare library show "GB 5749"
      stdcompare library search 菌落总数
      stdcompare library remove "GB 5749—2006"

    Stored standards can be given by code to `compare` and `track`, e.g.
    `stdcompare track "GB 5749"` diffs its two newest editions.
    """


@library.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--code",
    default=None,
    help="The standard's code, when the file does not show it (only with one FILE).",
)
@click.option(
    "--skip-bad-pages",
    is_flag=True,
    help="Leave out scanned or broken-font pages instead of refusing the file.",
)
@library_option
@handle_errors
def add(
    files: tuple[str, ...], code: str | None, skip_bad_pages: bool, library_path: str | None
) -> None:
    """Read FILE… (PDF or text) and store them in the library.

    A file whose content is already stored is skipped. Editions of one standard
    (GB 5749—2006, GB 5749—2022) are kept side by side.
    """
    from stdcompare.errors import StdCompareError

    if code and len(files) > 1:
        raise click.UsageError("--code applies to one FILE; add the files one by one")
    failed = 0
    with _open(library_path, create=True) as lib:
        for f in files:
            try:
                res = lib.add(f, code=code, bad_pages="skip" if skip_bad_pages else "error")
            except StdCompareError as exc:
                if len(files) == 1:
                    raise
                failed += 1
                click.echo(f"skipped: {' '.join(str(exc).split())}", err=True)
                continue
            e = res.entry
            verb = "added" if res.added else "unchanged"
            click.echo(
                f"{verb}: {e.code} — {e.title or ''} ({e.language}, {e.pages} pages, "
                f"{e.clauses} clauses) [{e.sha256[:12]}]"
            )
            if res.note:
                click.echo(f"  note: {res.note}")
        click.echo(f"library: {lib.path} ({len(lib)} documents)")
    if failed:
        raise click.ClickException(f"{failed} of {len(files)} files could not be added")


@library.command("list")
@library_option
@json_flag
@handle_errors
def list_(library_path: str | None, as_json: bool) -> None:
    """List the stored standards and their editions."""
    with _open(library_path, create=False) as lib:
        entries = lib.entries()
        if as_json:
            _echo_json([e.to_dict() for e in entries])
            return
        if not entries:
            click.echo(
                f"the library {lib.path} is empty; add standards with: stdcompare library add FILE…"
            )
            return
        rows = [
            [
                e.base_code,
                e.edition or "—",
                e.language,
                str(e.pages),
                (e.title or "")[:40],
                e.sha256[:12],
            ]
            for e in entries
        ]
        _table(rows, ["code", "edition", "lang", "pages", "title", "sha256"])
        bases = len({e.base_code for e in entries})
        click.echo(f"{len(entries)} documents, {bases} standards — {lib.path}")


@library.command("show")
@click.argument("code")
@library_option
@json_flag
@handle_errors
def show(code: str, library_path: str | None, as_json: bool) -> None:
    """Show the stored editions of CODE ("GB 5749") or one edition ("GB 5749—2022")."""
    from stdcompare.library import NotInLibrary

    with _open(library_path, create=False) as lib:
        found = lib.find(code)
        if not found:
            raise NotInLibrary(code, lib.path, lib.near(code))
        others = [e for e in lib.editions(code) if e.id not in {f.id for f in found}]
        if as_json:
            _echo_json(
                {
                    "entries": [e.to_dict() for e in found],
                    "other_editions": [e.code for e in others],
                }
            )
            return
        for e in found:
            click.echo(f"{e.code}  ({e.base_code}, edition {e.edition or '—'})")
            for label, value in (
                ("title", e.title),
                ("title (en)", e.title_en),
                ("language", e.language),
                ("pages", e.pages),
                ("clauses", e.clauses),
                ("tables", e.tables),
                ("replaces", ", ".join(e.replaces)),
                ("adoption", e.adoption),
                ("source", e.source),
                ("sha256", e.sha256),
                ("added", e.added),
            ):
                if value not in (None, ""):
                    click.echo(f"  {label:<11} {value}")
        if others:
            click.echo("other editions: " + ", ".join(e.code for e in others))


@library.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option("--code", default=None, help="Search only this standard (or edition).")
@click.option(
    "--lang",
    "language",
    type=click.Choice(["zh", "en", "ru"]),
    default=None,
    help="Search only documents in this language.",
)
@click.option("-n", "--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@library_option
@json_flag
@handle_errors
def search(
    text: tuple[str, ...],
    code: str | None,
    language: str | None,
    limit: int,
    library_path: str | None,
    as_json: bool,
) -> None:
    """Full-text search of the stored clauses and table rows (Chinese, English, Russian).

    Every word must occur; "quote" a phrase to keep it together. Matching ignores case.
    """
    query = " ".join(text)
    with _open(library_path, create=False) as lib:
        hits = lib.search(query, code=code, language=language, limit=limit)
    if as_json:
        _echo_json([h.to_dict() for h in hits])
        return
    if not hits:
        click.echo(f"no clause matches {query!r}")
        return
    for h in hits:
        where = f"{h.kind} {h.ref}" + (f", p.{h.page}" if h.page else "")
        click.echo(f"{h.code} · {where}: {h.snippet}")


@library.command("remove")
@click.argument("specs", nargs=-1, required=True)
@click.option(
    "--all",
    "all_editions",
    is_flag=True,
    help="Remove every edition a code names (otherwise name one edition).",
)
@library_option
@handle_errors
def remove(specs: tuple[str, ...], all_editions: bool, library_path: str | None) -> None:
    """Remove stored documents: a code with edition ("GB 5749—2006"), a sha256 prefix, or a
    code with --all for all its editions."""
    with _open(library_path, create=False) as lib:
        for spec in specs:
            for e in lib.remove(spec, all_editions=all_editions):
                click.echo(f"removed: {e.code} [{e.sha256[:12]}]")
