"""Accuracy of key-indicator extraction on the labelled gold set (zh / en / ru).

Runs :func:`stdcompare.indicators.parse_text` / :func:`~stdcompare.indicators.parse_row` on
every item of ``benchmarks/data/indicators_gold.jsonl`` with the item's context (heading,
caption, notes) and prints precision, recall and F1 for value + unit + comparator, overall, per
language and per kind, for the dev half and the held-out half of the set (split by a hash of
the item id, so it never changes), then the accuracy of parameter, product, basis, method,
condition and "per" on the matched indicators where the gold item labels them.

Units are compared by physical equivalence through the units module (µ = μ, l = L, ℃ = °C,
мг/дм³ = mg/L); values with a relative tolerance of 1e-6.

    .venv/bin/python benchmarks/bench_indicators.py                # both halves
    .venv/bin/python benchmarks/bench_indicators.py --errors dev   # list the dev misses
    .venv/bin/python benchmarks/bench_indicators.py --json out.json

Speed is printed as items per second with, for scale, the rate of a bare regex pass over the
same texts (``NUM_RE.findall``) measured in the same run; timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import re
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GOLD = HERE / "data" / "indicators_gold.jsonl"
ALIASES = HERE / "data" / "indicators_param_aliases.csv"
sys.path.insert(0, str(HERE.parent))

from stdcompare.indicators import Context, default_glossary, parse_row, parse_text  # noqa: E402
from stdcompare.indicators.glossary import _ru_stem  # noqa: E402
from stdcompare.indicators.numbers import NUM_RE  # noqa: E402
from stdcompare.indicators.units import same_unit  # noqa: E402
from stdcompare.model import Indicator  # noqa: E402

FIELDS = ("parameter", "product", "basis", "method", "condition", "per")


def split_of(item_id: str) -> str:
    """``dev`` or ``held`` — a fixed half of the set, by the SHA-1 of the item id."""
    return "dev" if hashlib.sha1(item_id.encode()).digest()[0] % 2 == 0 else "held"


def load(path: Path = GOLD) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_aliases(path: Path = ALIASES) -> dict[str, set[str]]:
    """Gold parameter id → glossary ids that count as the same parameter."""
    out: dict[str, set[str]] = defaultdict(set)
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(line for line in fh if not line.startswith("#")):
                for gid in row["glossary_ids"].split("|"):
                    if gid.strip():
                        out[row["gold_id"].strip()].add(gid.strip())
    return out


def run_item(item: dict[str, Any]) -> list[Indicator]:
    c = item.get("context") or {}
    ctx = Context(
        lang=item["lang"],
        heading=c.get("heading") or "",
        caption=c.get("caption") or "",
        notes=c.get("notes") or "",
    )
    if item["kind"] == "text":
        return parse_text(item["text"], item["lang"], context=ctx)
    return parse_row(item["header"], item["cells"], item["lang"], context=ctx)


# --- matching --------------------------------------------------------------------------------


def _num_eq(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


def _unit_eq(gold: dict[str, Any], pred: Indicator) -> bool:
    if gold["value"] is None and gold["low"] is None and gold["high"] is None:
        return True  # "not detected" without a printed limit: no unit to compare
    return same_unit(gold["unit"] or "", pred.unit or "")


def matches(gold: dict[str, Any], pred: Indicator) -> bool:
    return (
        gold["comparator"] == pred.comparator
        and _num_eq(gold["value"], pred.value)
        and _num_eq(gold["low"], pred.low)
        and _num_eq(gold["high"], pred.high)
        and _unit_eq(gold, pred)
    )


def align(expected: Sequence[dict[str, Any]], found: Sequence[Indicator]) -> list[tuple[int, int]]:
    """Pairs (gold index, found index): greedy in reading order, each used once."""
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(expected):
        for fi, f in enumerate(found):
            if fi not in used and matches(g, f):
                used.add(fi)
                pairs.append((gi, fi))
                break
    return pairs


# --- optional fields ---------------------------------------------------------------------------

_FOOTNOTE = re.compile(r"\s*(?:\(\d+\)|[ᵃᵇᶜᵈᵉᶠᵍʰ*]+|\s[a-z]\))\s*")


def _norm_text(s: str, lang: str) -> str:
    s = unicodedata.normalize("NFKC", s or "").replace("μ", "µ").lower()
    s = _FOOTNOTE.sub(" ", s)
    s = re.sub(r"[\s,，、;；:：.。\"“”«»]+", " ", s).strip()
    if lang == "ru":
        s = " ".join(_ru_stem(w) for w in s.split())
    return s


def field_ok(
    name: str, gold: dict[str, Any], pred: Indicator, lang: str, aliases: dict[str, set[str]]
) -> bool:
    want = gold[name]
    if name == "parameter":
        ok_ids = {want} | aliases.get(want, set())
        return pred.parameter_id in ok_ids
    got = getattr(pred, name, "") or ""
    if name == "method":
        return re.sub(r"\s+", " ", got).strip() == re.sub(r"\s+", " ", want).strip()
    if name == "per":
        return _norm_text(got, lang).replace(" ", "") == _norm_text(want, lang).replace(" ", "")
    return _norm_text(got, lang) == _norm_text(want, lang)


# --- scoring ---------------------------------------------------------------------------------


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Result:
    tallies: dict[tuple[str, str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    fields: dict[tuple[str, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    errors: list[str] = field(default_factory=list)
    items: int = 0
    seconds: float = 0.0


def score(items: Iterable[dict[str, Any]], aliases: dict[str, set[str]], errors_for: str) -> Result:
    res = Result()
    for item in items:
        t0 = time.perf_counter()
        found = run_item(item)
        res.seconds += time.perf_counter() - t0
        res.items += 1
        expected = item["expected"]
        pairs = align(expected, found)
        tp, fp, fn = len(pairs), len(found) - len(pairs), len(expected) - len(pairs)
        sp, lang, kind = split_of(item["id"]), item["lang"], item["kind"]
        for key in [
            (sp, "all", "all"),
            (sp, lang, "all"),
            (sp, "all", kind),
            (sp, lang, kind),
            ("both", "all", "all"),
            ("both", lang, "all"),
            ("both", "all", kind),
        ]:
            res.tallies[key].add(tp, fp, fn)
        for gi, fi in pairs:
            for name in FIELDS:
                if expected[gi].get(name):
                    ok = field_ok(name, expected[gi], found[fi], lang, aliases)
                    res.fields[(sp, name)][0] += ok
                    res.fields[(sp, name)][1] += 1
                    if not ok and errors_for in (sp, "all") and name in FIELDS:
                        res.errors.append(
                            f"  {item['id']} {name}: want {expected[gi][name]!r} "
                            f"got {getattr(found[fi], name if name != 'parameter' else 'parameter_id')!r}"
                            + (f" ({found[fi].parameter!r})" if name == "parameter" else "")
                        )
        if (fp or fn) and errors_for in (sp, "all"):
            res.errors.append(_describe_miss(item, expected, found, pairs))
    return res


def _fmt_gold(g: dict[str, Any]) -> str:
    ind = Indicator(
        parameter=g["parameter"],
        comparator=g["comparator"],
        value=g["value"],
        low=g["low"],
        high=g["high"],
        unit=g["unit"] or "",
    )
    return f"{g['parameter']} {ind.describe()}"


def _describe_miss(
    item: dict[str, Any],
    expected: Sequence[dict[str, Any]],
    found: Sequence[Indicator],
    pairs: list[tuple[int, int]],
) -> str:
    text = item.get("text") or " | ".join(item["cells"])
    g_ok = {gi for gi, _ in pairs}
    f_ok = {fi for _, fi in pairs}
    lines = [f"{item['id']}: {text}"]
    lines += [f"    missed  {_fmt_gold(g)}" for i, g in enumerate(expected) if i not in g_ok]
    lines += [
        f"    wrong   {f.parameter!r} {f.describe()}" for i, f in enumerate(found) if i not in f_ok
    ]
    return "\n".join(lines)


def _baseline_rate(items: Sequence[dict[str, Any]]) -> float:
    texts = [it.get("text") or " | ".join(it["cells"]) for it in items]
    t0 = time.perf_counter()
    for _ in range(20):
        for t in texts:
            NUM_RE.findall(t)
    return 20 * len(texts) / max(time.perf_counter() - t0, 1e-9)


def report(res: Result) -> dict[str, Any]:
    out: dict[str, Any] = {"prf": {}, "fields": {}}
    print(f"{'split':<6} {'lang':<4} {'kind':<4} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    for sp in ("dev", "held", "both"):
        for lang in ("all", "zh", "en", "ru"):
            for kind in ("all", "text", "row"):
                key = (sp, lang, kind)
                if key not in res.tallies:
                    continue
                t = res.tallies[key]
                print(
                    f"{sp:<6} {lang:<4} {kind:<4} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f}"
                    f" {t.tp:4d} {t.fp:3d} {t.fn:3d}"
                )
                out["prf"]["/".join(key)] = {
                    "precision": t.precision,
                    "recall": t.recall,
                    "f1": t.f1,
                    "tp": t.tp,
                    "fp": t.fp,
                    "fn": t.fn,
                }
    print("\nfield accuracy on matched indicators (where the gold item labels the field)")
    for sp in ("dev", "held"):
        parts = []
        for name in FIELDS:
            ok, n = res.fields.get((sp, name), [0, 0])
            parts.append(f"{name} {ok}/{n} ({ok / n:.2f})" if n else f"{name} -")
            out["fields"][f"{sp}/{name}"] = {"correct": ok, "labelled": n}
        print(f"  {sp:<5} " + ", ".join(parts))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--errors",
        choices=["dev", "held", "all", "none"],
        default="none",
        help="list the misses of this half (look only at dev while developing)",
    )
    ap.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    args = ap.parse_args(argv)
    items = load()
    aliases = load_aliases()
    glossary = default_glossary()
    print(
        f"{len(items)} gold items ({sum(split_of(i['id']) == 'dev' for i in items)} dev, "
        f"{sum(split_of(i['id']) == 'held' for i in items)} held-out); glossary: {len(glossary)} concepts\n"
    )
    run_item(items[0])  # warm the caches (pint registry, compiled patterns, glossary)
    res = score(items, aliases, args.errors)
    if res.errors:
        print("\n".join(res.errors) + "\n")
    out = report(res)
    rate = res.items / max(res.seconds, 1e-9)
    base = _baseline_rate(items)
    print(
        f"\nspeed: {rate:.0f} items/s; bare NUM_RE pass {base:.0f} items/s (ratio {rate / base:.3f}); "
        "measured on a shared machine"
    )
    out["items_per_second"] = rate
    out["baseline_items_per_second"] = base
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
