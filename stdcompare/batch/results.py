"""What a batch returns: one record per pair and per document, and progress events."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import VERDICTS

if TYPE_CHECKING:
    import pandas as pd

# Exit status of `stdcompare batch` (and BatchResult.exit_code).
EXIT_OK = 0  # every pair compared (or already up to date)
EXIT_PARTIAL = 3  # some pairs failed, the others completed
EXIT_ALL_FAILED = 4  # every pair failed

PAIR_STATUSES = ("done", "up_to_date", "failed", "not_run")


@dataclass(frozen=True)
class PairResult:
    """The outcome of one manifest pair.

    ``status`` is ``done`` (compared in this run), ``up_to_date`` (outputs from an earlier
    run are still valid), ``failed`` (``error`` says why, in one line) or ``not_run`` (the
    batch was interrupted first). ``outputs`` maps a format to its path, relative to the
    batch's output folder. ``seconds`` is the wall time the comparison took in its worker,
    ``cpu_seconds`` the CPU time of that worker process meanwhile.
    """

    name: str
    status: str
    a: str
    b: str
    line: int = 0
    error: str = ""
    error_type: str = ""
    summary: Mapping[str, int] = field(default_factory=dict)
    clause_pairs: int = 0
    a_code: str | None = None
    b_code: str | None = None
    a_title: str | None = None
    b_title: str | None = None
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    timings: Mapping[str, float] = field(default_factory=dict)
    outputs: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    notes: str = ""
    finished: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("done", "up_to_date")

    @property
    def gaps(self) -> int:
        return sum(self.summary.values())


@dataclass(frozen=True)
class DocumentResult:
    """One distinct input document of the batch.

    ``status``: ``ingested`` (read in this run), ``cached`` (read in an earlier run and taken
    from the batch's document cache), ``provided`` (a resolver gave an ingested document),
    ``failed`` (``error`` says why), ``missing`` (no file at the path) or ``not_needed``
    (every pair using it was up to date).
    """

    source: str
    key: str
    status: str
    sha256: str = ""
    error: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    pages: int = 0
    code: str | None = None
    pairs: int = 0


@dataclass(frozen=True)
class BatchEvent:
    """A progress report. ``kind`` is ``start``, ``document``, ``pair`` or ``finish``.

    ``pairs_total`` counts the pairs this run has to compare (up-to-date pairs excluded) and
    ``docs_total`` the documents it has to ingest.
    """

    kind: str
    pairs_done: int = 0
    pairs_total: int = 0
    docs_done: int = 0
    docs_total: int = 0
    pair: PairResult | None = None
    document: DocumentResult | None = None
    message: str = ""


@dataclass(frozen=True)
class BatchResult:
    """All pairs of a batch, in manifest order, and where its outputs are."""

    out_dir: Path
    pairs: tuple[PairResult, ...]
    documents: tuple[DocumentResult, ...] = ()
    index_html: Path | None = None
    summary_csv: Path | None = None
    seconds: float = 0.0
    backend: str = ""
    interrupted: bool = False

    def __iter__(self) -> Iterator[PairResult]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, name: str) -> PairResult:
        for p in self.pairs:
            if p.name == name:
                return p
        raise KeyError(name)

    def by_status(self, status: str) -> tuple[PairResult, ...]:
        return tuple(p for p in self.pairs if p.status == status)

    @property
    def failed(self) -> tuple[PairResult, ...]:
        return self.by_status("failed")

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.pairs)

    @property
    def exit_code(self) -> int:
        """0 when every pair succeeded, 3 when some failed, 4 when all failed."""
        bad = sum(not p.ok for p in self.pairs)
        if bad == 0:
            return EXIT_OK
        return EXIT_ALL_FAILED if bad == len(self.pairs) else EXIT_PARTIAL

    @property
    def verdicts(self) -> dict[str, int]:
        """Verdict counts summed over the successful pairs."""
        total = dict.fromkeys(VERDICTS, 0)
        for p in self.pairs:
            for k, v in p.summary.items():
                total[k] = total.get(k, 0) + int(v)
        return total

    def to_frame(self) -> pd.DataFrame:
        """One row per pair (the columns of ``summary.csv``)."""
        import pandas as pd

        from .index import SUMMARY_COLUMNS, summary_row

        return pd.DataFrame([summary_row(p) for p in self.pairs], columns=list(SUMMARY_COLUMNS))

    def __repr__(self) -> str:
        counts = ", ".join(f"{s} {n}" for s in PAIR_STATUSES if (n := len(self.by_status(s))))
        return f"<BatchResult {len(self.pairs)} pairs ({counts}) in {self.out_dir}>"
