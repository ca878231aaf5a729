"""Edition tracking: clause diff, indicator diff, EditionDiff JSON/HTML/DataFrames, CLI."""

from __future__ import annotations

import csv
import json
import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

import stdcompare
from stdcompare.cli.main import main
from stdcompare.errors import SchemaError
from stdcompare.indicators.glossary import default_glossary
from stdcompare.model import Clause, Document, Indicator, Metadata
from stdcompare.tracking import (
    TRACK_SCHEMA,
    ClauseDiffSettings,
    EditionDiff,
    TrackError,
    track,
)
from stdcompare.tracking.clauses import diff_clauses, overlap_matrix, shingles
from stdcompare.tracking.html import inline_diff
from stdcompare.tracking.indicators import diff_indicators, differing_fields

ROOT = Path(__file__).resolve().parents[1]
OLD_PDF = ROOT / "corpora" / "tracking" / "gb5749-2006.pdf"
NEW_PDF = ROOT / "corpora" / "water" / "gb5749-2022.pdf"
GOLD = ROOT / "corpora" / "tracking"


def doc(
    clauses: list[tuple[str, str, str]], *, language: str = "en", code: str = "X 1-2000"
) -> Document:
    return Document(
        source=f"{code}.txt",
        language=language,
        pages=1,
        metadata=Metadata(code=code),
        clauses=tuple(Clause(id=i, heading=h, text=t, page=1) for i, h, t in clauses),
        sha256=code,
    )


def by_change(changes: list) -> dict[str, list[tuple[str | None, str | None]]]:
    out: dict[str, list[tuple[str | None, str | None]]] = {}
    for c in changes:
        out.setdefault(c.change, []).append((c.old_id, c.new_id))
    return out


# --- clause diff --------------------------------------------------------------------------------


def test_clause_diff_kinds() -> None:
    old = doc(
        [
            ("1", "Scope", "This standard applies to bottled drinking water."),
            ("2", "Terms", "For the purposes of this document the following terms apply."),
            ("3", "Labelling", "The label shall state the source of the water."),
            ("4", "Sampling", "Samples shall be taken at the bottling line every day."),
            ("5", "Monitoring", "The operator shall report results to the authority monthly."),
        ]
    )
    new = doc(
        [
            ("1", "Scope", "This standard applies to bottled drinking water and ice."),
            ("2", "Terms", "For the purposes of this document the following terms apply."),
            ("3", "Sampling", "Samples shall be taken at the bottling line every day."),
            ("4", "Labelling", "The label shall state the source and the treatment of the water."),
            ("5", "Packaging", "Containers shall be made of food-contact materials."),
        ],
        code="X 1-2020",
    )
    changes, unchanged = diff_clauses(old, new)
    kinds = by_change(changes)
    assert unchanged == 1  # clause 2
    assert kinds["moved"] == [("4", "3")]
    assert set(kinds["reworded"]) == {("1", "1"), ("3", "4")}
    assert kinds["removed"] == [("5", None)]
    assert kinds["new"] == [(None, "5")]
    moved = next(c for c in changes if c.change == "moved")
    assert moved.renumbered and moved.similarity == 1.0
    reworded = next(c for c in changes if c.old_id == "3")
    assert reworded.renumbered and 0.6 <= (reworded.similarity or 0) < 1.0
    # output follows the new edition's order
    assert [c.new_id for c in changes if c.new_id] == ["1", "3", "4", "5"]


def test_clause_diff_ignores_spacing_case_and_fullwidth_forms() -> None:
    old = doc([("1", "范围", "本标准适用于 瓶装饮用水（含矿泉水）。")], language="zh")
    new = doc([("1", "范围", "本标准适用于瓶装饮用水(含矿泉水)。")], language="zh", code="X 1-2020")
    assert diff_clauses(old, new) == ([], 1)


def test_same_number_and_heading_pairs_a_rewritten_clause() -> None:
    old = doc([("6", "Hygiene", "Operators follow the national hygiene code.")])
    new = doc(
        [
            (
                "6",
                "Hygiene",
                "A permit is required; records of every inspection are kept for 2 years.",
            )
        ],
        code="X 1-2020",
    )
    changes, _ = diff_clauses(old, new)
    assert [(c.change, c.old_id, c.new_id) for c in changes] == [("reworded", "6", "6")]
    assert (changes[0].similarity or 0) < 0.6


def test_reworded_threshold_is_a_setting() -> None:
    old = doc([("1", "", "Water shall be free from pathogenic microorganisms.")])
    new = doc(
        [("2", "", "Water shall not contain any pathogenic microorganism at all.")], code="X 1-2020"
    )
    strict, _ = diff_clauses(old, new, ClauseDiffSettings(reworded_min=0.95))
    assert sorted(c.change for c in strict) == ["new", "removed"]
    loose, _ = diff_clauses(old, new, ClauseDiffSettings(reworded_min=0.4))
    assert [c.change for c in loose] == ["reworded"]
    with pytest.raises(stdcompare.StdCompareError):
        ClauseDiffSettings(reworded_min=0)


def test_merged_clauses_name_their_new_home() -> None:
    old = doc(
        [
            ("4.1", "", "生活饮用水中不得含有病原微生物。"),
            ("4.2", "", "生活饮用水中化学物质不得危害人体健康。"),
            ("4.3", "", "生活饮用水应经消毒处理。"),
        ],
        language="zh",
    )
    new = doc(
        [
            (
                "4.1",
                "",
                "生活饮用水应满足下列要求：a）生活饮用水中不得含有病原微生物；"
                "b）生活饮用水中化学物质不得危害人体健康；c）生活饮用水应经消毒处理。",
            )
        ],
        language="zh",
        code="X 1-2020",
    )
    changes, _ = diff_clauses(old, new)
    outcome = {c.old_id: (c.change, c.new_id or c.related) for c in changes}
    assert outcome["4.1"] == ("reworded", "4.1")  # kept its number
    assert outcome["4.2"] == ("removed", "4.1")  # merged into 4.1
    assert outcome["4.3"] == ("removed", "4.1")
    # and a split, the other way round
    changes, _ = diff_clauses(new, old)
    outcome = {c.new_id: (c.change, c.old_id or c.related) for c in changes}
    assert outcome["4.2"] == ("new", "4.1") and outcome["4.3"] == ("new", "4.1")
    html = EditionDiff(old=new.info(), new=old.info(), clause_changes=tuple(changes)).to_html()
    assert "text taken from clause 4.1 of the old edition (split)" in html


def test_shingles_and_overlap() -> None:
    assert shingles("饮用水 lead Свинец") == {"饮用", "用水", "lead", "Свинец"}
    m = overlap_matrix(["abc def", "饮用水"], ["abc def ghi", "生活饮用水"])
    assert m[0, 0] == 1.0 and m[1, 1] == 1.0 and m[0, 1] == 0.0


def test_clause_diff_against_the_gold_pairs() -> None:
    """The GB 5749 2006→2022 pair: reproduce the team's gold clause correspondences."""
    old, new = stdcompare.load(OLD_PDF), stdcompare.load(NEW_PDF)
    oids, nids = {c.id for c in old.clauses}, {c.id for c in new.clauses}
    with open(GOLD / "gold_clause_pairs.csv", encoding="utf-8") as fh:
        gold = {(r["a_id"], r["b_id"]) for r in csv.DictReader(fh)}
    gold = {g for g in gold if g[0] in oids and g[1] in nids}
    assert len(gold) >= 15
    changes, _ = diff_clauses(old, new)
    changed_old = {c.old_id for c in changes}
    found = {(c.old_id, c.new_id) for c in changes if c.old_id and c.new_id}
    found |= {(c.old_id, c.related) for c in changes if c.change == "removed" and c.related}
    found |= {(i, i) for i in oids & nids if i not in changed_old}
    wrong = {
        p for p in found - gold if p[0] in {a for a, _ in gold} or p[1] in {b for _, b in gold}
    }
    assert len(found & gold) >= 0.85 * len(gold), sorted(gold - found)
    assert not wrong, wrong
    removed = {c.old_id for c in changes if c.change == "removed"}
    assert {"9", "9.1", "9.2"} <= removed  # 水质监测 was dropped in 2022
    assert any(c.old_id == "10" and c.new_id == "9" and c.renumbered for c in changes)


# --- indicator diff -----------------------------------------------------------------------------


def ind(
    pid: str, comp: str, value: float | None = None, unit: str = "mg/L", **kw: object
) -> Indicator:
    return Indicator(
        parameter=kw.pop("parameter", pid),  # type: ignore[arg-type]
        parameter_id=pid,
        comparator=comp,
        value=value,
        unit=unit,
        **kw,  # type: ignore[arg-type]
    )


def test_indicator_changes_and_directions() -> None:
    g = default_glossary()
    old = [
        ind("boron", "<=", 0.5),
        ind("lead", "<=", 0.01),
        ind("vinyl_chloride", "<=", 0.005),
        ind("arsenic", "<=", 0.01),
        ind("ph", "range", None, "", low=6.5, high=9.5),
        ind("formaldehyde", "<=", 0.9),
    ]
    new = [
        ind("boron", "<=", 1.0),
        ind("lead", "<=", 10, "µg/L"),
        ind("vinyl_chloride", "<=", 0.001),
        ind("arsenic", "<=", 0.01),
        ind("ph", "range", None, "", low=6.5, high=8.5),
        ind("perchlorate", "<=", 0.07),
    ]
    res = {c.parameter_id: c for c in diff_indicators(old, new, glossary=g, language="zh")}
    assert res["boron"].change == "changed" and res["boron"].direction == "relaxed"
    assert res["boron"].factor == pytest.approx(2.0)
    assert res["vinyl_chloride"].direction == "tightened"
    assert res["vinyl_chloride"].factor == pytest.approx(0.2)
    assert res["lead"].direction == "equivalent" and set(res["lead"].fields) == {"value", "unit"}
    assert res["ph"].direction == "tightened" and res["ph"].fields == ("high",)
    assert res["arsenic"].change == "unchanged" and res["arsenic"].fields == ()
    assert res["formaldehyde"].change == "removed" and res["formaldehyde"].old is not None
    assert res["perchlorate"].change == "added" and res["perchlorate"].new is not None


def test_indicator_products_pair_by_wording() -> None:
    g = default_glossary()
    old = [
        ind("free_chlorine", ">=", 0.3, product="出厂水中余量"),
        ind("free_chlorine", ">=", 0.05, product="管网末梢水中余量"),
        ind("free_chlorine", "<=", 4, product="出厂水中限值"),
    ]
    new = [
        ind("free_chlorine", ">=", 0.05, product="末梢水中余量"),
        ind("free_chlorine", "<=", 2, product="出厂水和末梢水中限值"),
        ind("free_chlorine", ">=", 0.3, product="出厂水中余量"),
    ]
    res = diff_indicators(old, new, glossary=g, language="zh")
    pairs = {(c.old.product, c.new.product): c for c in res if c.old and c.new}
    assert set(pairs) == {
        ("出厂水中余量", "出厂水中余量"),
        ("管网末梢水中余量", "末梢水中余量"),
        ("出厂水中限值", "出厂水和末梢水中限值"),
    }
    limit = pairs[("出厂水中限值", "出厂水和末梢水中限值")]
    assert limit.direction == "tightened" and "product" in limit.fields
    assert pairs[("管网末梢水中余量", "末梢水中余量")].change == "unchanged"


def test_comparator_and_basis_changes_are_changes() -> None:
    a, b = ind("nitrate", "<=", 10, basis="以N计"), ind("nitrate", "<=", 10, basis="以NO3计")
    assert differing_fields(a, b) == ("basis",)
    res = diff_indicators([a], [b], glossary=default_glossary(), language="zh")
    assert res[0].change == "changed" and res[0].direction == "not_comparable"
    assert "old" in res[0].reason and " A " not in res[0].reason
    a, b = ind("lead", "<", 0.01), ind("lead", "<=", 0.01)
    assert differing_fields(a, b) == ("comparator",)


def test_indicator_diff_reproduces_the_gold_verdicts() -> None:
    """Indicators of the gold file (GB 5749 2006→2022), paired and judged by the diff."""
    g = default_glossary()
    with open(GOLD / "gold_indicator_pairs.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))

    def side(r: dict[str, str], s: str) -> Indicator | None:
        if not r[f"{s}_comparator"]:
            return None
        num = lambda k: float(r[f"{s}_{k}"]) if r[f"{s}_{k}"] else None  # noqa: E731
        return Indicator(
            parameter=r["parameter"],
            parameter_id=r["parameter"],
            comparator=r[f"{s}_comparator"],
            value=num("value"),
            low=num("low"),
            high=num("high"),
            unit=r[f"{s}_unit"],
            product=r[f"{s}_product"],
            clause_id=r[f"{s}_clause"],
        )

    old = [x for r in rows if (x := side(r, "a"))]
    new = [x for r in rows if (x := side(r, "b"))]
    res = diff_indicators(old, new, glossary=g, language="zh")
    expect = {"a_stricter": "relaxed", "b_stricter": "tightened"}
    hits = 0
    for r in rows:
        a, b = side(r, "a"), side(r, "b")
        got = [c for c in res if c.old == a and c.new == b] if a and b else []
        if r["verdict"] == "only_a":
            hits += any(c.change == "removed" and c.old == a for c in res)
        elif r["verdict"] == "only_b":
            hits += any(c.change == "added" and c.new == b for c in res)
        elif got:
            c = got[0]
            if r["verdict"] == "equal":
                hits += c.change == "unchanged" or c.direction == "equivalent"
            else:
                hits += c.direction == expect[r["verdict"]]
    assert hits >= 0.9 * len(rows), f"{hits}/{len(rows)}"


# --- the whole diff -----------------------------------------------------------------------------

OLD_TEXT = """GB 5749—2006
生活饮用水卫生标准
1 范围
本标准规定了生活饮用水水质卫生要求。
4 水质要求
4.1 铅的含量不得超过0.01 mg/L。
4.2 硼的含量不得超过0.5 mg/L。
4.3 检验结果<script>alert(1)</script>应记录。
5 水质监测
供水单位应定期报送水质检测结果。
"""
NEW_TEXT = """GB 5749—2022
代替 GB 5749—2006
生活饮用水卫生标准
1 范围
本文件规定了生活饮用水的水质要求。
4 水质要求
4.1 铅的含量不应超过0.01 mg/L。
4.2 硼的含量不应超过1.0 mg/L。
4.3 检验结果<script>alert(2)</script>应记录并保存。
4.4 高氯酸盐的含量不应超过0.07 mg/L。
"""


@pytest.fixture
def editions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD_TEXT, encoding="utf-8")
    new.write_text(NEW_TEXT, encoding="utf-8")
    return old, new


def test_track_text_editions(editions: tuple[Path, Path], tmp_path: Path) -> None:
    diff = stdcompare.track(*editions)
    assert isinstance(diff, EditionDiff)
    s = diff.summary
    assert s["indicators_changed"] == 1 and s["limits_relaxed"] == 1
    assert s["indicators_added"] == 1 and s["indicators_unchanged"] >= 1
    assert s["clauses_removed"] >= 1 and s["clauses_reworded"] >= 1
    assert "warnings" not in diff.meta
    assert "GB 5749—2006 → GB 5749—2022" in repr(diff)
    # DataFrames
    df = diff.indicators
    assert list(df.query("change == 'changed'")["parameter_id"]) == ["boron"]
    assert df.loc[df.parameter_id == "boron", "old_limit"].item() == "<= 0.5 mg/L"
    assert set(diff.clauses["change"]) >= {"removed", "reworded"}
    # JSON round trip
    path = diff.to_json(tmp_path / "t.json") and tmp_path / "t.json"
    back = EditionDiff.load(path)
    assert back == diff and back.summary == diff.summary
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == TRACK_SCHEMA and data["summary"] == s


def test_track_html_is_self_contained_and_escaped(
    editions: tuple[Path, Path], tmp_path: Path
) -> None:
    diff = track(*editions)
    html = diff.to_html(tmp_path / "t.html")
    assert (tmp_path / "t.html").read_text(encoding="utf-8") == html
    assert html.startswith("<!DOCTYPE html>")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp is not None
    policy = unescape(csp.group(1))
    assert "default-src 'none'" in policy and "script-src 'none'" in policy  # no script at all
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html
    assert "<del>" in html and "<ins>" in html
    assert "relaxed" in html and "高氯酸盐" in html
    summary = diff._repr_html_()
    assert "GB 5749—2006" in summary and "<table>" in summary


def test_track_refuses_mixed_languages_and_same_file(
    editions: tuple[Path, Path], tmp_path: Path
) -> None:
    en = tmp_path / "en.txt"
    en.write_text("ISO 1:2020\n1 Scope\nThis document applies to water.\n", encoding="utf-8")
    with pytest.raises(TrackError, match="same language"):
        track(editions[0], en)
    with pytest.raises(TrackError, match="same file"):
        track(editions[0], editions[0])


def test_track_warns_about_unrelated_or_swapped_editions(
    editions: tuple[Path, Path], tmp_path: Path
) -> None:
    other = tmp_path / "other.txt"
    other.write_text(
        "GB 2762—2017\n食品安全国家标准 食品中污染物限量\n1 范围\n"
        "本标准规定了食品中铅、镉、汞、砷、锡、镍、铬、亚硝酸盐、硝酸盐、苯并[a]芘的限量指标。\n",
        encoding="utf-8",
    )
    diff = track(editions[1], other)
    warnings = " ".join(diff.meta["warnings"])
    assert "does not say it replaces" in warnings and "newer" in warnings


def test_edition_diff_schema_errors() -> None:
    with pytest.raises(SchemaError, match="track-v1"):
        EditionDiff.from_dict({"schema": "stdcompare/comparison-v1"})
    with pytest.raises(SchemaError, match="not valid JSON"):
        EditionDiff.from_json("{")
    with pytest.raises(SchemaError, match="missing key"):
        EditionDiff.from_dict({"schema": TRACK_SCHEMA})


def test_inline_diff_groups_changes() -> None:
    segs = inline_diff("本标准规定了生活饮用水水质卫生要求", "本文件规定了生活饮用水的水质要求")
    assert "".join(t for op, t in segs if op != "ins") == "本标准规定了生活饮用水水质卫生要求"
    assert "".join(t for op, t in segs if op != "del") == "本文件规定了生活饮用水的水质要求"
    assert ("del", "标准") in segs and ("ins", "文件") in segs
    segs = inline_diff("Lead shall not exceed 10 µg/l.", "Lead shall not exceed 5 µg/l.")
    assert ("del", "10") in segs and ("ins", "5") in segs


def test_track_the_bundled_gb5749_editions(tmp_path: Path) -> None:
    diff = track(OLD_PDF, NEW_PDF)
    assert (diff.old.code, diff.new.code) == ("GB 5749—2006", "GB 5749—2022")
    assert "warnings" not in diff.meta  # 2022 says it replaces 2006
    removed = {c.old_id for c in diff.clause_changes if c.change == "removed"}
    assert "9" in removed
    # whatever the extractor finds, the changes it implies must agree with the gold file
    directions = {
        c.parameter_id: c.direction for c in diff.indicator_changes if c.change == "changed"
    }
    for pid, expected in (
        ("boron", "relaxed"),
        ("trichloroethylene", "tightened"),
        ("vinyl_chloride", "tightened"),
        ("dimethoate", "tightened"),
    ):
        assert directions.get(pid, expected) == expected, pid
    for c in diff.indicator_changes:
        if c.parameter_id in ("perchlorate", "acetochlor"):
            assert c.change == "added"
        if c.parameter_id in ("thermotolerant_coliforms", "formaldehyde", "lindane", "ddt"):
            assert c.change == "removed"
    html = diff.to_html(tmp_path / "r.html")
    assert "GB 5749—2006" in html and "水质监测" in html


# --- CLI ----------------------------------------------------------------------------------------


def test_track_cli_outputs(editions: tuple[Path, Path], tmp_path: Path) -> None:
    out_json, out_html = tmp_path / "o.json", tmp_path / "o.html"
    r = CliRunner().invoke(
        main,
        ["track", *map(str, editions), "--json", str(out_json), "--html", str(out_html), "-q"],
    )
    assert r.exit_code == 0, r.output
    assert "limits changed 1 (0 tightened, 1 relaxed)" in r.output
    assert json.loads(out_json.read_text(encoding="utf-8"))["schema"] == TRACK_SCHEMA
    assert out_html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    r = CliRunner().invoke(main, ["track", *map(str, editions), "-q"])
    assert r.exit_code == 0 and "relaxed: <= 0.5 mg/L → <= 1 mg/L" in r.output


def test_track_cli_errors(editions: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "never.json"
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    r = CliRunner().invoke(main, ["track", str(bad), str(editions[1]), "--json", str(out), "-q"])
    assert r.exit_code == 1 and str(bad) in r.output and "Traceback" not in r.output
    assert not out.exists()
    lib = str(tmp_path / "empty.sqlite")
    r = CliRunner().invoke(main, ["track", "GB 5749", "--library", lib, "-q"])
    assert r.exit_code == 1 and "library add" in r.output
    r = CliRunner().invoke(main, ["track", str(editions[0]), "--library", lib, "-q"])
    assert r.exit_code == 1 and "two editions" in r.output


def test_track_end_to_end_against_the_gold_indicator_pairs() -> None:
    """Extraction + diff on the bundled PDFs reproduce most rows of the gold file: the
    right limit pair with the right direction, the deleted and the new indicators."""
    diff = track(OLD_PDF, NEW_PDF)
    with open(GOLD / "gold_indicator_pairs.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    extracted = {c.parameter_id for c in diff.indicator_changes}
    covered = sum(r["parameter"] in extracted for r in rows)
    if covered < len(rows) // 2:
        pytest.skip(f"extraction finds only {covered}/{len(rows)} gold parameters")
    expect = {"a_stricter": "relaxed", "b_stricter": "tightened"}

    def first(x: str, y: str) -> float | None:
        return float(x or y) if (x or y) else None

    hits = 0
    for r in rows:
        cands = [c for c in diff.indicator_changes if c.parameter_id == r["parameter"]]
        if r["verdict"] == "only_a":
            hits += any(c.change == "removed" for c in cands)
            continue
        if r["verdict"] == "only_b":
            hits += any(c.change == "added" for c in cands)
            continue
        old_v, new_v = first(r["a_value"], r["a_low"]), first(r["b_value"], r["b_low"])
        for c in cands:
            if not (c.old and c.new):
                continue
            ov = c.old.value if c.old.value is not None else c.old.low
            nv = c.new.value if c.new.value is not None else c.new.low
            if (c.old.comparator, c.new.comparator) != (r["a_comparator"], r["b_comparator"]):
                continue
            if (ov, nv, old_v, new_v).count(None) not in (0, 4):
                continue
            if old_v is not None and (abs(ov - old_v) > 1e-9 or abs(nv - new_v) > 1e-9):  # type: ignore[operator]
                continue
            if r["verdict"] == "equal":
                hits += c.change == "unchanged" or c.direction == "equivalent"
            else:
                hits += c.direction == expect[r["verdict"]]
            break
    assert hits >= 0.75 * len(rows), f"{hits}/{len(rows)} gold rows reproduced"
