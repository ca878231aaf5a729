"""Ingestion speed and memory on a real 568-page standard (Codex CXS 192, the GSFA).

Prints pages/s of full ingestion (clauses, tables, metadata, health: ``stdcompare.ingest.load``)
against plain pdfplumber ``extract_text`` measured in the same run on the same machine, and
the peak resident memory of the ingestion (parent and worker processes together). The CPU
may be shared with other work: compare the ratio, not the absolute figures.

    .venv/bin/python benchmarks/bench_ingest.py                 # CXS_192e.pdf, 2 workers

It also reports CPU time per page of both in one process, which other work on a shared
machine does not inflate, and the 2-core rate that CPU time implies.
    .venv/bin/python benchmarks/bench_ingest.py FILE.pdf --workers 4 --baseline-pages 100
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REAL = Path(os.environ.get("STDCOMPARE_REAL_CORPORA", ROOT.parent / "shared" / "corpora-real"))


class PeakRSS:
    """Samples the resident memory of this process and its children every 20 ms (psutil;
    without it, the peak of this process plus the largest child's, from getrusage)."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            import psutil
        except ImportError:  # without psutil: the peaks getrusage reports (see __exit__)
            return

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            try:
                total = me.memory_info().rss
                for child in me.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        total += child.memory_info().rss
            except psutil.Error:
                pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.02)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        if not self.peak:
            import resource

            kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            kib += resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            self.peak = kib * 1024


def ingest(path: Path, workers: int) -> tuple[float, int, object]:
    from stdcompare.ingest import load

    with PeakRSS() as rss:
        t0 = time.perf_counter()
        doc = load(path, workers=workers)
        dt = time.perf_counter() - t0
    return dt, rss.peak, doc


def pdfplumber_text(path: Path, pages: list[int]) -> tuple[float, float]:
    """Wall and CPU seconds of pdfplumber ``extract_text`` on ``pages``."""
    import pdfplumber

    t0, c0 = time.perf_counter(), time.process_time()
    with pdfplumber.open(str(path)) as pdf:
        for n in pages:
            pdf.pages[n - 1].extract_text()
            pdf.pages[n - 1].close()  # pdfplumber caches page objects; free them as it goes
    return time.perf_counter() - t0, time.process_time() - c0


def ingest_cpu(path: Path) -> float:
    """CPU seconds of full ingestion in this one process (no workers): load-independent."""
    from stdcompare.ingest import load

    c0 = time.process_time()
    load(path, workers=1)
    return time.process_time() - c0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdf", nargs="?", type=Path, default=REAL / "CXS_192e.pdf")
    ap.add_argument("--workers", type=int, default=2, help="ingestion processes (default 2)")
    ap.add_argument(
        "--baseline-pages",
        type=int,
        default=120,
        help="pages (spread over the document) for the pdfplumber baseline; 0 = all",
    )
    ap.add_argument("--repeat", type=int, default=2, help="ingestion runs (median is reported)")
    args = ap.parse_args()
    if not args.pdf.is_file():
        print(f"bench_ingest: {args.pdf} not found (set STDCOMPARE_REAL_CORPORA)", file=sys.stderr)
        return 1
    import pypdfium2 as pdfium

    n_pages = len(pdfium.PdfDocument(str(args.pdf)))
    import pdfplumber  # noqa: F401  (imports are not part of either measurement)

    import stdcompare.ingest  # noqa: F401

    # warm the file cache and the imports once, outside the measurements
    ingest(args.pdf, args.workers)
    runs = []
    for _ in range(max(1, args.repeat)):
        dt, peak, doc = ingest(args.pdf, args.workers)
        runs.append((dt, peak))
    dt = statistics.median(r[0] for r in runs)
    peak = max(r[1] for r in runs)
    k = n_pages if args.baseline_pages <= 0 else min(args.baseline_pages, n_pages)
    sample = sorted({1 + round(i * (n_pages - 1) / max(k - 1, 1)) for i in range(k)})
    base_dt, base_cpu = pdfplumber_text(args.pdf, sample)
    ours_cpu = ingest_cpu(args.pdf)
    ours = n_pages / dt
    base = len(sample) / base_dt
    ours_ms, base_ms = 1000 * ours_cpu / n_pages, 1000 * base_cpu / len(sample)
    d = doc  # type: ignore[assignment]
    print(
        f"document            {args.pdf.name}: {n_pages} pages, cpus {os.cpu_count()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"full ingestion      {ours:7.1f} pages/s  ({dt:.1f} s, {args.workers} workers, median "
        f"of {len(runs)}; {len(d.clauses)} clauses, {len(d.tables)} tables)"
    )  # type: ignore[attr-defined]
    print(
        f"pdfplumber text     {base:7.1f} pages/s  ({base_dt:.1f} s for {len(sample)} pages, "
        "one process, extract_text only)"
    )
    print(f"ratio               {ours / base:7.1f} x")
    print(f"peak memory (RSS)   {peak / 2**20:7.0f} MiB  (parent and workers together)")
    print("CPU time per page (one process, not affected by other load on the machine):")
    print(
        f"  full ingestion    {ours_ms:7.1f} ms   → {2000 / ours_ms:5.0f} pages/s on 2 idle cores"
    )
    print(f"  pdfplumber text   {base_ms:7.1f} ms   → {1000 / base_ms:5.1f} pages/s on 1 core")
    print(f"  ratio             {base_ms / ours_ms:7.1f} x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
