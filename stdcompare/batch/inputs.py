"""Turning a manifest's ``a``/``b`` value into something to compare.

:func:`resolve_input` is the one place where that happens. Today a value is a file path
(absolute, ``~``-relative, or relative to the manifest's folder). A resolver that knows other
kinds of values — for example codes of a library of ingested standards — returns a
:class:`~stdcompare.model.Document` for them; the batch then skips ingestion for it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model import Document

Input = Path | Document
Resolver = Callable[[str, Path], "Input | None"]


def resolve_input(value: str, base_dir: Path, resolver: Resolver | None = None) -> Input:
    """The path or document a manifest value stands for.

    ``resolver(value, base_dir)`` (optional) is asked first; it returns a ``Document``, a
    ``Path``, or ``None`` to fall back to reading ``value`` as a path. A path is returned
    even when no file is there: the batch reports a missing file as that pair's failure.
    """
    if resolver is not None:
        found = resolver(value, base_dir)
        if found is not None:
            return found if isinstance(found, Document) else Path(found)
    p = Path(value).expanduser()
    return p if p.is_absolute() else base_dir / p
