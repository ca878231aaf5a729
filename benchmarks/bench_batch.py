"""Batch throughput: ``--jobs 1`` against ``--jobs 2``, cold against warm embedding cache.

Runs :func:`stdcompare.batch.run_batch` on a 40-pair manifest of the sample corpora
(``corpora/manifest-40.csv``: the six corpora pairs repeated; built from
``corpora/manifest.csv`` when absent) in four configurations, interleaved so that changes in
machine load hit all of them alike:

- *cold*: an empty embedding cache and an empty output folder (every document is read,
  every pair compared, every clause embedded the first time it is seen);
- *warm*: the embedding cache the cold run filled, and again an empty output folder (every
  document is read and every pair compared again; only the embeddings are reused);

then reruns the last one unchanged (*resume*: every pair is up to date). Each configuration
runs ``--repeat`` times (interleaved) and the fastest is kept. It prints the wall time, the
CPU seconds the workers spent (measured inside them), the time per pair, and the ratios — speed-up of two
jobs over one, warm over cold — which are what to compare across machines: on a shared
machine the absolute times are noisy (the load average is printed with them).

    .venv/bin/python benchmarks/bench_batch.py
    .venv/bin/python benchmarks/bench_batch.py --jobs 1,2,4 --json batch.json
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from stdcompare.batch import BatchResult, Manifest, read_manifest, run_batch  # noqa: E402

MANIFEST_40 = ROOT / "corpora" / "manifest-40.csv"
MANIFEST = ROOT / "corpora" / "manifest.csv"


def manifest_40(tmp: Path) -> Manifest:
    """``corpora/manifest-40.csv``, or the corpora pairs repeated to 40 rows."""
    if MANIFEST_40.is_file():
        return read_manifest(MANIFEST_40)
    with MANIFEST.open(encoding="utf-8-sig", newline="") as fh:
        base = list(csv.DictReader(fh))
    rows = [
        {"name": f"{row['name']}-{i // len(base) + 1:02d}", "a": row["a"], "b": row["b"]}
        for i, row in enumerate(base * (40 // len(base) + 1))
    ][:40]
    return Manifest.from_pairs(rows, base_dir=MANIFEST.parent)


def measure(m: Manifest, out: Path, cache: Path, jobs: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    result: BatchResult = run_batch(m, out, jobs=jobs, cache=cache, formats="json,html,xlsx")
    wall = time.perf_counter() - t0
    if not result.ok:
        bad = "; ".join(f"{p.name}: {p.error}" for p in result.failed[:3])
        raise SystemExit(f"benchmark batch failed: {bad}")
    done = result.by_status("done")
    # CPU seconds the workers spent on the documents and pairs (measured in the workers, so
    # other programs on a shared machine do not count, unlike in wall times)
    cpu = sum(p.cpu_seconds for p in done) + sum(d.cpu_seconds for d in result.documents)
    return {
        "jobs": jobs,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "pairs": len(result),
        "compared": len(done),
        "per_pair_s": round(wall / len(result), 3),
        "cpu_per_pair_s": round(cpu / len(result), 3),
        "median_pair_worker_s": round(statistics.median(p.seconds for p in done), 3)
        if done
        else 0.0,
        "docs_read": sum(d.status == "ingested" for d in result.documents),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--jobs", default="1,2", help="comma-separated job counts (default 1,2)")
    ap.add_argument(
        "--repeat", type=int, default=2, help="rounds; the fastest of each is kept (default 2)"
    )
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    jobs = [int(j) for j in args.jobs.split(",")]
    load_before = os.getloadavg()
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="stdcompare-bench-batch-") as tmp_name:
        tmp = Path(tmp_name)
        m = manifest_40(tmp)
        print(f"manifest: {m.path} ({len(m)} pairs), {os.cpu_count()} cores, {args.repeat} rounds")
        for rnd in range(1, args.repeat + 1):
            for state in ("cold", "warm"):
                for j in jobs:
                    cache = tmp / f"cache-jobs{j}"
                    out = tmp / f"out-{rnd}-{state}-jobs{j}"
                    if state == "cold":
                        shutil.rmtree(cache, ignore_errors=True)
                    r = measure(m, out, cache, j)
                    r.update(cache=state, round=rnd)
                    runs.append(r)
                    print(
                        f"  round {rnd} jobs={j} {state:5} {r['wall_s']:7.1f} s wall "
                        f"{r['cpu_s']:7.1f} s CPU  {r['per_pair_s']:5.2f} s per pair  "
                        f"(median {r['median_pair_worker_s']:.2f} s in a worker, "
                        f"{r['docs_read']} documents read)  load {os.getloadavg()[0]:.1f}"
                    )
        last = tmp / f"out-{args.repeat}-warm-jobs{jobs[-1]}"
        t0 = time.perf_counter()
        again = run_batch(m, last, jobs=jobs[-1], cache=tmp / f"cache-jobs{jobs[-1]}")
        resume_s = time.perf_counter() - t0
        assert all(p.status == "up_to_date" for p in again), "resume recomputed pairs"
    load_after = os.getloadavg()

    def best(j: int, state: str, key: str = "wall_s") -> float:
        return min(r[key] for r in runs if r["jobs"] == j and r["cache"] == state)

    print(f"fastest of {args.repeat} rounds, {len(m)} pairs:")
    for state in ("cold", "warm"):
        for j in jobs:
            w = best(j, state)
            print(
                f"  jobs={j} {state:5} {w:7.1f} s  {w / len(m):5.2f} s per pair  "
                f"{len(m) / w:5.2f} pairs/s  {best(j, state, 'cpu_s'):7.1f} s CPU"
            )
    print(f"  resume, all {len(again)} pairs up to date: {resume_s:.2f} s")
    ratios: dict[str, float] = {}
    base = jobs[0]
    for state in ("cold", "warm"):
        for j in jobs[1:]:
            ratios[f"speedup_jobs{j}_vs_{base}_{state}"] = round(
                best(base, state) / best(j, state), 2
            )
    for j in jobs:
        ratios[f"warm_vs_cold_jobs{j}"] = round(best(j, "cold") / best(j, "warm"), 2)
        ratios[f"warm_vs_cold_cpu_jobs{j}"] = round(
            best(j, "cold", "cpu_s") / best(j, "warm", "cpu_s"), 2
        )
    print("ratios (measured in the same run, so comparable across machines):")
    for k, v in ratios.items():
        print(f"  {k}: {v}x")
    print(
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after, on "
        f"{os.cpu_count()} cores — on a shared machine wall times are noisy; CPU seconds less so"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "runs": runs,
                    "ratios": ratios,
                    "resume_s": round(resume_s, 2),
                    "load": [load_before[0], load_after[0]],
                    "cores": os.cpu_count(),
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
