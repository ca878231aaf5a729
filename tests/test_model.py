"""Value objects: frozen, picklable, JSON round trip, and the comparison-v1 contract."""

from __future__ import annotations

import dataclasses
import json
import pickle

import pytest

from stdcompare import (
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
from stdcompare.errors import SchemaError

LEAD_A = Indicator(
    parameter="铅",
    comparator="<=",
    value=0.5,
    unit="mg/kg",
    product="鱼类",
    basis="以Pb计",
    clause_id="4.1.1",
    page=3,
    text="鱼类 0.5",
    parameter_id="lead",
)
LEAD_B = Indicator(
    parameter="Lead",
    comparator="<=",
    value=0.3,
    unit="mg/kg",
    product="Muscle meat of fish",
    clause_id="3.1.5",
    page=2,
    text="…",
)
DOC = Document(
    source="a.pdf",
    language="zh",
    pages=2,
    metadata=Metadata(
        code="GB 2762—2022",
        title="食品中污染物限量",
        year=2022,
        replaces=("GB 2762—2017",),
        ics=("67.040",),
        adoption=Adoption("MOD", "ISO 3696:1987", "修改采用"),
    ),
    clauses=(Clause("4.1", "铅", "限量见表1。", 3, 3, None, 2, "clause"),),
    tables=(
        Table(
            "T1",
            3,
            ("食品类别（名称）", "限量 mg/kg"),
            (TableRow(("鱼类", "0.5"), 3),),
            caption="表1",
            clause_id="4.1",
            pages=(3,),
        ),
    ),
    health=(PageHealth(1, "ok", 100), PageHealth(2, "broken_font", 50, "cid")),
    page_texts=("p1", "p2"),
    sha256="ab",
)
PAIR = ClausePair("4.1", "3.1", "铅", "Lead", 0.83, "hybrid", 3, 2, 0.2, False)
CMP = Comparison(
    a=DOC.info(),
    b=DocumentInfo("b.pdf", "Regulation (EU) 2023/915", "Contaminants", "en", 30),
    pair_list=(PAIR,),
    gap_list=(
        Gap("lead", "b_stricter", LEAD_A, LEAD_B, 1.6667, 0.91, "B lower"),
        Gap("tin", "only_a", LEAD_A, None),
    ),
)


@pytest.mark.parametrize(
    "obj", [LEAD_A, PAIR, DOC, DOC.metadata, DOC.tables[0], DOC.health[1], CMP.gap_list[0], CMP.a]
)
def test_round_trip_and_frozen(obj: object) -> None:
    cls = type(obj)
    again = cls.from_json(obj.to_json())  # type: ignore[attr-defined]
    assert again == obj
    assert pickle.loads(pickle.dumps(obj)) == obj
    field = dataclasses.fields(obj)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(obj, field, None)


def test_comparison_json_contract() -> None:
    data = json.loads(CMP.to_json())
    assert data["schema"] == COMPARISON_SCHEMA
    assert set(data["a"]) >= {"source", "code", "title", "language", "pages"}
    pair = data["clause_pairs"][0]
    assert set(pair) >= {"a_id", "b_id", "a_text", "b_text", "score", "method", "a_page", "b_page"}
    gap = data["gaps"][0]
    assert list(gap)[:7] == ["parameter", "a", "b", "verdict", "ratio", "score", "reason"]
    assert list(gap["a"])[:11] == [
        "clause_id",
        "page",
        "parameter",
        "product",
        "comparator",
        "value",
        "low",
        "high",
        "unit",
        "basis",
        "text",
    ]
    assert data["gaps"][1]["b"] is None
    assert data["summary"] == {
        "a_stricter": 0,
        "b_stricter": 1,
        "equal": 0,
        "only_a": 1,
        "only_b": 0,
        "not_comparable": 0,
    }
    assert Comparison.from_json(CMP.to_json()) == CMP


def test_comparison_dataframes_and_repr() -> None:
    gaps = CMP.gaps
    assert list(gaps["verdict"]) == ["b_stricter", "only_a"]
    assert gaps.loc[0, "a_limit"] == "<= 0.5 mg/kg"
    assert list(CMP.clause_pairs["a_id"]) == ["4.1"]
    assert "b_stricter=1" in repr(CMP)
    assert "GB 2762—2022" in CMP._repr_html_()


def test_bad_json_is_a_schema_error() -> None:
    with pytest.raises(SchemaError):
        Comparison.from_json("{}")
    with pytest.raises(SchemaError):
        Comparison.from_json("not json")
    with pytest.raises(SchemaError):
        Gap("lead", "worse")


def test_table_records_apply_header() -> None:
    t = Table("T1", 1, ("Commodity", "ML", "ML"), (TableRow(("Fish", "0.3", "x"), 4),))
    assert t.records() == [{"Commodity": "Fish", "ML": "0.3", "ML (3)": "x", "page": "4"}]


def test_describe() -> None:
    assert Indicator("pH", "range", low=6.5, high=8.5).describe() == "6.5–8.5"
    assert Indicator("E. coli", "not_detected").describe() == "not detected"


@pytest.mark.parametrize(
    ("x", "digits", "text"),
    [
        (3.0000000000000004e-05, 6, "0.00003"),  # a converted limit: no exponent, no float noise
        (0.1 + 0.2, 6, "0.3"),
        (250.0, 6, "250"),
        (1234567.0, 4, "1235000"),
        (-0.5, 6, "-0.5"),
        (0.0, 6, "0"),
        (1e-12, 6, "1e-12"),  # beyond 10⁻⁹ an exponent reads better than twelve zeros
    ],
)
def test_plain_number(x: float, digits: int, text: str) -> None:
    from stdcompare.model import plain_number

    assert plain_number(x, digits) == text
    if "e" not in text:
        assert float(text) == pytest.approx(x, rel=10 ** (1 - digits))


def test_limits_are_described_without_exponents() -> None:
    ind = Indicator(parameter="heptachlor", comparator="<=", value=3e-05, unit="mg/L")
    assert ind.describe() == "<= 0.00003 mg/L"
