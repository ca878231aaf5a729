"""Regenerate tests/golden/water_verdicts.json from the sample water pair.

    .venv/bin/python tests/golden/make_water_golden.py

Runs the whole pipeline on GB 5749—2022 vs Directive (EU) 2020/2184 (corpora/water), keeps
every gap that has both sides, keys it by parameter and the two limits as printed
(comparator and numbers, not units or clauses, so extraction and alignment changes elsewhere
do not break the key), and records the verdict next to the gold verdict of
corpora/water/gold_indicator_pairs.csv for the same key. Rows where the two disagree keep
the explanation found in REVIEW below (written by a person who checked the row against both
documents); a disagreement without one is printed so that it gets reviewed before commit.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
A = ROOT / "corpora/water/gb5749-2022.pdf"
B = ROOT / "corpora/water/eu-2020-2184.pdf"
GOLD = ROOT / "corpora/water/gold_indicator_pairs.csv"
OUT = Path(__file__).with_name("water_verdicts.json")

# key → why the pipeline's verdict differs from the gold one (reviewed by hand).
REVIEW: dict[str, str] = {}


def _n(x: Any) -> str:
    if x is None or x == "":
        return ""
    return f"{float(x):.6g}"


def limit_key(comparator: str, value: Any, low: Any, high: Any) -> str:
    comparator = {"<": "<", "<=": "<=", ">": ">", ">=": ">="}.get(comparator, comparator)
    return f"{comparator} {_n(value)} {_n(low)} {_n(high)}".strip()


def gap_key(parameter: str, a: Any, b: Any) -> str:
    """``parameter | A limit | B limit`` with numbers as printed (units left out)."""
    sides = []
    for ind in (a, b):
        if ind is None:
            sides.append("-")
        elif isinstance(ind, dict):
            sides.append(limit_key(ind["comparator"], ind["value"], ind["low"], ind["high"]))
        else:
            sides.append(limit_key(ind.comparator, ind.value, ind.low, ind.high))
    return " | ".join([parameter, *sides])


def gold_keys() -> dict[str, dict[str, str]]:
    out = {}
    with GOLD.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["verdict"] in ("only_a", "only_b"):
                continue
            a = {k: row[f"a_{k}"] for k in ("comparator", "value", "low", "high")}
            b = {k: row[f"b_{k}"] for k in ("comparator", "value", "low", "high")}
            out[gap_key(row["parameter"], a, b)] = row
    return out


def gap_parameter(gap: Any) -> str:
    """The glossary id both sides share, else the gap's parameter name."""
    ids = {ind.parameter_id for ind in (gap.a, gap.b) if ind is not None and ind.parameter_id}
    return ids.pop() if len(ids) == 1 else gap.parameter


def build(comparison: Any) -> dict[str, Any]:
    gold = gold_keys()
    rows = []
    for gap in comparison.gap_list:
        if gap.a is None or gap.b is None:
            continue
        key = gap_key(gap_parameter(gap), gap.a, gap.b)
        g = gold.get(key)
        row = {
            "key": key,
            "a": gap.a.describe() + (f" ({gap.a.basis})" if gap.a.basis else ""),
            "b": gap.b.describe() + (f" ({gap.b.basis})" if gap.b.basis else ""),
            "verdict": gap.verdict,
            "reason": gap.reason,
            "gold": g["verdict"] if g else None,
        }
        if g and g["verdict"] != gap.verdict:
            row["review"] = REVIEW.get(key, "")
        rows.append(row)
    rows.sort(key=lambda r: r["key"])
    return {
        "pair": "water",
        "a": str(A.relative_to(ROOT)),
        "b": str(B.relative_to(ROOT)),
        "regenerate": "python tests/golden/make_water_golden.py",
        "rows": rows,
    }


def main() -> int:
    import stdcompare

    data = build(stdcompare.compare(A, B))
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    unreviewed = [r for r in data["rows"] if "review" in r and not r["review"]]
    print(f"{OUT}: {len(data['rows'])} rows, {sum(1 for r in data['rows'] if r['gold'])} in gold")
    for r in unreviewed:
        print(f"  DISAGREES WITH GOLD (review and explain in REVIEW): {r['key']}: "
              f"{r['verdict']} vs gold {r['gold']} — {r['reason']}")
    return 1 if unreviewed else 0


if __name__ == "__main__":
    sys.exit(main())
