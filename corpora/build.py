"""Regenerate every corpus PDF from its markup source: ``python -m corpora.build``.

Each ``corpora/<pair>/*.src.txt`` is rendered to the ``.pdf`` beside it.  Output is
deterministic (reportlab ``invariant=1``), so a rebuild leaves committed PDFs byte-identical
unless a source or the renderer changed.  ``--check`` renders to a temporary folder and
exits 1 if any committed PDF differs from a fresh build.
"""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from corpora.pdfgen import render_file

CORPORA_DIR = Path(__file__).resolve().parent


def sources(root: Path = CORPORA_DIR) -> Iterator[Path]:
    """All markup sources under ``root``, in a stable order."""
    yield from sorted(root.glob("*/*.src.txt"))


def pdf_for(src: Path) -> Path:
    """The PDF path that belongs to a ``*.src.txt`` source."""
    return src.with_name(src.name.removesuffix(".src.txt") + ".pdf")


def build(root: Path = CORPORA_DIR, *, verbose: bool = True) -> list[Path]:
    """Render every source under ``root``; return the written PDF paths."""
    written = []
    for src in sources(root):
        out = render_file(src, pdf_for(src))
        written.append(out)
        if verbose:
            print(f"{out.relative_to(root)}  {out.stat().st_size // 1024} KB")
    return written


def check(root: Path = CORPORA_DIR) -> list[Path]:
    """Return the committed PDFs that differ from a fresh render (or are missing)."""
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for src in sources(root):
            fresh = render_file(src, Path(tmp) / pdf_for(src).name)
            committed = pdf_for(src)
            if not committed.exists() or not filecmp.cmp(fresh, committed, shallow=False):
                stale.append(committed)
    return stale


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m corpora.build", description=__doc__)
    parser.add_argument("--check", action="store_true", help="verify committed PDFs are current")
    args = parser.parse_args(argv)
    if args.check:
        stale = check()
        for path in stale:
            print(f"stale: {path.relative_to(CORPORA_DIR)}")
        return 1 if stale else 0
    build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
