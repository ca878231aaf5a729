"""stdcompare — compare Chinese national standards with foreign standards and regulations.

>>> import stdcompare
>>> cmp = stdcompare.compare("GB_5749-2022.pdf", "EU_2020-2184.pdf")   # doctest: +SKIP
>>> cmp.gaps                      # a pandas DataFrame, one row per indicator gap   # doctest: +SKIP
>>> cmp.to_html("report.html")    # self-contained gap report                        # doctest: +SKIP

Importing this package is cheap: the PDF readers, the embedding models, pandas, click and
Jinja2 are imported only by the functions that use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import StdCompareError
from .model import (
    COMPARISON_SCHEMA,
    Adoption,
    Clause,
    ClausePair,
    Comparison,
    Document,
    DocumentInfo,
    Gap,
    Indicator,
    Metadata,
    PageHealth,
    Table,
    TableRow,
)

if TYPE_CHECKING:
    from .api import align, compare, extract, load, resolve_embedder
    from .library import Library
    from .tracking import EditionDiff, track

_LAZY = {"load", "extract", "align", "compare", "resolve_embedder"}

# name -> submodule, for names that do not live in .api
_LAZY_FROM = {"track": ".tracking", "EditionDiff": ".tracking", "Library": ".library"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import api

        return getattr(api, name)
    if name in _LAZY_FROM:
        import importlib

        return getattr(importlib.import_module(_LAZY_FROM[name], __name__), name)
    raise AttributeError(f"module 'stdcompare' has no attribute {name!r}")


__all__ = [
    "COMPARISON_SCHEMA",
    "Adoption",
    "Clause",
    "ClausePair",
    "Comparison",
    "Document",
    "DocumentInfo",
    "EditionDiff",
    "Gap",
    "Indicator",
    "Library",
    "Metadata",
    "PageHealth",
    "StdCompareError",
    "Table",
    "TableRow",
    "__version__",
    "align",
    "compare",
    "extract",
    "load",
    "resolve_embedder",
    "track",
]
