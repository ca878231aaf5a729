"""The click CLI, in-process with CliRunner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from stdcompare import __version__
from stdcompare.cli.main import main

A_TEXT = """GB 5749—2022
生活饮用水卫生标准
1 范围
本文件规定了生活饮用水水质要求。
4 生活饮用水水质要求
4.1 铅的含量不得超过0.01 mg/L。
4.2 pH 不小于6.5且不大于8.5。"""
B_TEXT = """Directive (EU) 2020/2184
on the quality of water intended for human consumption
Article 1
Subject matter
This Directive concerns the quality of water intended for human consumption.
ANNEX I
1 Lead shall not exceed 5 µg/l.
2 pH ≥ 6,5 and ≤ 9,5."""


@pytest.fixture
def pair(make_pdf: Callable[..., Path]) -> tuple[Path, Path]:
    return make_pdf(A_TEXT, "a.pdf"), make_pdf(B_TEXT, "b.pdf")


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_version_and_help() -> None:
    r = run("--version")
    assert r.exit_code == 0 and __version__ in r.output
    r = run("--help")
    assert r.exit_code == 0
    for cmd in main.commands:
        r = run(cmd, "--help")
        assert r.exit_code == 0, cmd
        assert "Usage:" in r.output


def test_compare_writes_json_and_html(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = pair
    out_json, out_html = tmp_path / "o.json", tmp_path / "o.html"
    r = run("compare", str(a), str(b), "--json", str(out_json), "--html", str(out_html), "-q")
    assert r.exit_code == 0, r.output
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["schema"] == "stdcompare/comparison-v1"
    verdicts = {g["parameter"]: g["verdict"] for g in data["gaps"]}
    assert verdicts.get("lead") == "b_stricter"
    assert out_html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_compare_requires_an_output(pair: tuple[Path, Path]) -> None:
    r = CliRunner().invoke(main, ["compare", str(pair[0]), str(pair[1])])
    assert r.exit_code == 2 and "at least one output" in r.output


@pytest.mark.parametrize("content", [b"", b"%PDF-1.4 garbage", b"hello"])
def test_bad_input_exits_nonzero_one_line_no_output(
    content: bytes, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content)
    out = tmp_path / "never.json"
    r = CliRunner().invoke(main, ["compare", str(bad), str(pair[1]), "--json", str(out), "-q"])
    assert r.exit_code == 1
    lines = [ln for ln in r.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and str(bad) in lines[0] and "Traceback" not in r.output
    assert not out.exists()
    assert not list(tmp_path.glob(".never.json*"))


def test_missing_file(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["indicators", str(tmp_path / "x.pdf")])
    assert r.exit_code == 1 and "file not found" in r.output


def test_indicators_json(pair: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "ind.json"
    r = run("indicators", str(pair[0]), "--json", str(out))
    assert r.exit_code == 0, r.output
    records = json.loads(out.read_text(encoding="utf-8"))
    keys = [
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
    assert records and all(list(rec)[:11] == keys for rec in records)
    lead = [r for r in records if r["clause_id"] == "4.1"]
    assert lead and lead[0]["value"] == 0.01 and lead[0]["unit"] == "mg/L"


# --- compare: every output, the exporter profile, basis conversions ------------------------------

NITRATE_A = """GB 5749—2022
生活饮用水卫生标准
4 生活饮用水水质要求
4.1 硝酸盐（以N计）的含量不得超过10 mg/L。"""
NITRATE_B = """Directive (EU) 2020/2184
on the quality of water intended for human consumption
ANNEX I
1 Nitrate shall not exceed 50 mg/l."""


def test_compare_writes_every_output(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = pair
    out = {k: tmp_path / f"o.{k}" for k in ("json", "html", "xlsx", "csv", "tmx")}
    args = [f"--{k}={v}" for k, v in out.items()]
    r = run(
        "compare",
        str(a),
        str(b),
        *args,
        "--company",
        "ACME  Foods",
        "--lei",
        "5493001kjtiigc8y1r12",
        "-q",
    )
    assert r.exit_code == 0, r.output
    for kind, path in out.items():
        assert path.is_file() and path.stat().st_size > 0, kind
        assert f"{kind}: {path}" in r.output
    pairs_csv = tmp_path / "o.clause_pairs.csv"
    assert pairs_csv.is_file() and f"csv: {pairs_csv}" in r.output
    data = json.loads(out["json"].read_text(encoding="utf-8"))
    assert data["meta"]["exporter"] == {"company": "ACME Foods", "lei": "5493001KJTIIGC8Y1R12"}
    html = out["html"].read_text(encoding="utf-8")
    assert "ACME Foods" in html and "5493001KJTIIGC8Y1R12" in html
    from openpyxl import load_workbook

    assert load_workbook(out["xlsx"]).sheetnames[0] == "Summary"
    import xml.etree.ElementTree as ET

    assert ET.parse(out["tmx"]).getroot().tag == "tmx"


def test_invalid_lei_fails_before_any_work(pair: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    r = CliRunner().invoke(
        main,
        [
            "compare",
            str(pair[0]),
            str(pair[1]),
            "--html",
            str(out),
            "--lei",
            "5493001KJTIIGC8Y1R13",
        ],
    )
    assert r.exit_code == 1
    lines = [ln for ln in r.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "check digits" in lines[0] and "Traceback" not in r.output
    assert not out.exists()


def test_unknown_conversion_lists_the_choices(pair: tuple[Path, Path], tmp_path: Path) -> None:
    r = CliRunner().invoke(
        main,
        [
            "compare",
            str(pair[0]),
            str(pair[1]),
            "--json",
            str(tmp_path / "x.json"),
            "--convert",
            "nitrate-as-N",
        ],
    )
    assert r.exit_code == 2 and "nitrate-N:NO3" in r.output
    assert not (tmp_path / "x.json").exists()


def test_convert_enables_a_stated_basis_conversion(
    make_pdf: Callable[..., Path], tmp_path: Path
) -> None:
    a, b = make_pdf(NITRATE_A, "a.pdf"), make_pdf(NITRATE_B, "b.pdf")

    def nitrate(*extra: str) -> dict[str, object]:
        out = tmp_path / "c.json"
        r = run("compare", str(a), str(b), "--json", str(out), "-q", *extra)
        assert r.exit_code == 0, r.output
        data = json.loads(out.read_text(encoding="utf-8"))
        gaps = [g for g in data["gaps"] if g["a"] and g["b"] and "10" in g["a"]["text"]]
        assert len(gaps) == 1, data["gaps"]
        return gaps[0]

    plain = nitrate()
    assert plain["verdict"] == "not_comparable" and "basis" in plain["reason"]
    converted = nitrate("--convert", "nitrate-N:NO3")
    # 10 mg/L as N = 44.3 mg/L as NO3, below the EU's 50 mg/l
    assert converted["verdict"] == "a_stricter" and converted["conversion"] == "nitrate-N:NO3"
