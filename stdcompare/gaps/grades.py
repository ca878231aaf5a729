"""Climate grades of fuels in product names, and which rows of two documents correspond.

A diesel standard prints one limit per grade or season: GB 19147 per grade ("车用柴油（Ⅵ）
5号、0号、-10号", "… -20号"), TR CU 013/2011 and GOST 305 per season ("летнего", "зимнего и
арктического"), EN 590 / GOST 32511 per CFPP grade ("Сорт A" … "Сорт F") or arctic class.
``data/fuel_grades.csv`` says for each grade or season which coldest ambient temperatures it is
made for (with its source); two rows correspond when those temperatures are nearest to each
other and within a tolerance, and rows of different climates never pair.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from ..model import Indicator

#: two grades correspond when their temperatures are at most this far apart (°C): one step of
#: the EN 590 grade scale (A +5, B 0, C −5 … F −20 °C)
TOLERANCE_C = 5.0


@dataclass(frozen=True)
class ClimateGrade:
    system: str
    pattern: re.Pattern[str]
    low: float
    high: float
    source: str


@functools.lru_cache(maxsize=1)
def climate_grades() -> tuple[ClimateGrade, ...]:
    """The grades and seasons of ``data/fuel_grades.csv``."""
    text = resources.files("stdcompare.data").joinpath("fuel_grades.csv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return tuple(
        ClimateGrade(
            r["system"],
            re.compile(r["pattern"], re.IGNORECASE),
            float(r["low_c"]),
            float(r["high_c"]),
            r["source"],
        )
        for r in csv.DictReader(lines)
    )


@functools.lru_cache(maxsize=4096)
def climate_of(product: str) -> tuple[tuple[float, float], ...]:
    """The temperature intervals of the grades a product name names (several for "5号、0号、
    -10号" or "зимнего и арктического"); empty when it names none."""
    if not product:
        return ()
    return tuple((c.low, c.high) for c in climate_grades() if c.pattern.search(product))


def climate_distance(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]]) -> float:
    """The smallest gap (°C) between any grade of ``a`` and any of ``b`` (0 when they overlap)."""
    return min(max(0.0, lb - ha, la - hb) for la, ha in a for lb, hb in b)


def climate_links(
    xa: Sequence[Indicator], xb: Sequence[Indicator], tolerance: float = TOLERANCE_C
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Rows of two documents' limits on one parameter that correspond by climate, and those
    that must not pair (both name a grade, and the grades are far apart).

    A row corresponds to the row(s) of the other side whose grade is nearest to its own, when
    that is within ``tolerance``: each GB grade finds its EN 590 grade, each season its GB
    grades. Rows that name no grade are left to the other criteria.
    """
    ca = [climate_of(x.product) for x in xa]
    cb = [climate_of(x.product) for x in xb]
    la = [i for i, c in enumerate(ca) if c]
    lb = [j for j, c in enumerate(cb) if c]
    links: set[tuple[int, int]] = set()
    conflicts: set[tuple[int, int]] = set()
    if not la or not lb:
        return links, conflicts
    d = {(i, j): climate_distance(ca[i], cb[j]) for i in la for j in lb}
    for i in la:
        best = min(d[i, j] for j in lb)
        links |= {(i, j) for j in lb if d[i, j] == best and best <= tolerance}
    for j in lb:
        best = min(d[i, j] for i in la)
        links |= {(i, j) for i in la if d[i, j] == best and best <= tolerance}
    conflicts = {k for k in d if k not in links}
    return links, conflicts
