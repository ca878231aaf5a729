"""Batch comparisons: one manifest of pairs, one index page, local processes or a Dask cluster.

>>> from stdcompare.batch import run_batch                      # doctest: +SKIP
>>> result = run_batch("pairs.csv", "out/", jobs=2)             # doctest: +SKIP
>>> result.exit_code, [p.name for p in result.failed]           # doctest: +SKIP
>>> result.to_frame()                # one row per pair, the columns of summary.csv  # doctest: +SKIP

See :func:`run_batch` for the options and :mod:`stdcompare.batch.manifest` for the manifest
format. Importing this package is light: Dask, Jinja2 and PyYAML load only when used.
"""

from __future__ import annotations

from .backends import BatchError, SchedulerUnavailable
from .inputs import resolve_input
from .manifest import COLUMNS, Manifest, PairSpec, read_manifest
from .results import (
    EXIT_ALL_FAILED,
    EXIT_OK,
    EXIT_PARTIAL,
    BatchEvent,
    BatchResult,
    DocumentResult,
    PairResult,
)
from .runner import available_formats, run_batch

__all__ = [
    "COLUMNS",
    "EXIT_ALL_FAILED",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "BatchError",
    "BatchEvent",
    "BatchResult",
    "DocumentResult",
    "Manifest",
    "PairResult",
    "PairSpec",
    "SchedulerUnavailable",
    "available_formats",
    "read_manifest",
    "resolve_input",
    "run_batch",
]
