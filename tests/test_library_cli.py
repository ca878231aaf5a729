"""`stdcompare library …` and `compare`/`track` with library codes, in-process (CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stdcompare.cli.main import main

GB_2006 = """GB 5749—2006
生活饮用水卫生标准
1 范围
本标准规定了生活饮用水水质卫生要求。
4 水质要求
4.1 铅的含量不得超过0.01 mg/L。
4.2 硼的含量不得超过0.5 mg/L。
"""
GB_2022 = """GB 5749—2022
代替 GB 5749—2006
生活饮用水卫生标准
1 范围
本文件规定了生活饮用水的水质要求。
4 水质要求
4.1 铅的含量不应超过0.01 mg/L。
4.2 硼的含量不应超过1.0 mg/L。
4.3 高氯酸盐的含量不应超过0.07 mg/L。
"""
EU_TEXT = """Directive (EU) 2020/2184
on the quality of water intended for human consumption
Article 1
Subject matter
This Directive concerns the quality of water intended for human consumption.
ANNEX I
1 Lead shall not exceed 5 µg/l.
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in (("gb2006", GB_2006), ("gb2022", GB_2022), ("eu", EU_TEXT)):
        p = tmp_path / f"{name}.txt"
        p.write_text(text, encoding="utf-8")
        out[name] = p
    return out


@pytest.fixture
def libpath(tmp_path: Path, files: dict[str, Path]) -> str:
    path = str(tmp_path / "lib.sqlite")
    r = run("library", "add", *(str(p) for p in files.values()), "--library", path)
    assert r.exit_code == 0, r.output
    assert r.output.count("added:") == 3
    return path


def test_add_is_idempotent(libpath: str, files: dict[str, Path]) -> None:
    r = run("library", "add", str(files["gb2006"]), "--library", libpath)
    assert r.exit_code == 0 and "unchanged: GB 5749—2006" in r.output


def test_list_and_json(libpath: str) -> None:
    r = run("library", "list", "--library", libpath)
    assert r.exit_code == 0
    assert "GB 5749" in r.output and "2006" in r.output and "2022" in r.output
    assert "3 documents, 2 standards" in r.output
    data = json.loads(run("library", "list", "--library", libpath, "--json").output)
    assert [d["code"] for d in data if d["base_code"] == "GB 5749"] == [
        "GB 5749—2006",
        "GB 5749—2022",
    ]


def test_list_empty_library_does_not_create_it(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    r = run("library", "list", "--library", str(path))
    assert r.exit_code == 0 and "empty" in r.output
    assert not path.exists()


def test_default_library_from_environment(
    tmp_path: Path, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("STDCOMPARE_LIBRARY", raising=False)
    assert run("library", "add", str(files["eu"])).exit_code == 0
    assert (tmp_path / "xdg" / "stdcompare" / "library.sqlite").is_file()


def test_show(libpath: str) -> None:
    r = run("library", "show", "GB 5749", "--library", libpath)
    assert r.exit_code == 0
    assert "GB 5749—2006" in r.output and "GB 5749—2022" in r.output and "replaces" in r.output
    r = run("library", "show", "GB 5749-2022", "--library", libpath, "--json")
    data = json.loads(r.output)
    assert [e["code"] for e in data["entries"]] == ["GB 5749—2022"]
    assert data["other_editions"] == ["GB 5749—2006"]
    r = run("library", "show", "GB 5794", "--library", libpath)
    assert r.exit_code == 1 and "near matches: GB 5749" in r.output and "Traceback" not in r.output


def test_search(libpath: str) -> None:
    r = run("library", "search", "高氯酸盐", "--library", libpath)
    assert r.exit_code == 0 and "GB 5749—2022 · clause 4.3" in r.output
    r = run("library", "search", "铅", "--library", libpath, "--json")
    assert {h["code"] for h in json.loads(r.output)} == {"GB 5749—2006", "GB 5749—2022"}
    r = run("library", "search", "lead", "--lang", "zh", "--library", libpath)
    assert r.exit_code == 0 and "no clause matches" in r.output


def test_remove(libpath: str) -> None:
    r = run("library", "remove", "GB 5749", "--library", libpath)
    assert r.exit_code == 1 and "--all" in r.output
    r = run("library", "remove", "GB 5749—2006", "--library", libpath)
    assert r.exit_code == 0 and "removed: GB 5749—2006" in r.output
    r = run("library", "remove", "GB 5749", "--all", "--library", libpath)
    assert r.exit_code == 0 and "removed: GB 5749—2022" in r.output


def test_add_reports_bad_files_and_keeps_the_good_ones(
    tmp_path: Path, files: dict[str, Path]
) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    path = str(tmp_path / "l.sqlite")
    r = run("library", "add", str(bad), str(files["eu"]), "--library", path)
    assert r.exit_code == 1 and "1 of 2 files could not be added" in r.output
    assert "added: Directive (EU) 2020/2184" in r.output and "Traceback" not in r.output
    r = run("library", "add", str(bad), "--library", path)
    assert r.exit_code == 1 and str(bad) in r.output


def test_add_code_option(tmp_path: Path) -> None:
    p = tmp_path / "nocode.txt"
    p.write_text("1 Scope\nThis document applies to bottled water.\n", encoding="utf-8")
    path = str(tmp_path / "l.sqlite")
    r = run("library", "add", str(p), "--library", path)
    assert r.exit_code == 1 and "--code" in r.output
    r = run("library", "add", str(p), "--code", "CXS 227-2001", "--library", path)
    assert r.exit_code == 0 and "added: CXS 227-2001" in r.output
    r = run("library", "add", str(p), str(p), "--code", "X 1", "--library", path)
    assert r.exit_code == 2


def test_not_a_library_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.sqlite"
    bad.write_text("hello " * 500, encoding="utf-8")
    r = run("library", "list", "--library", str(bad))
    assert r.exit_code == 1 and "not a stdcompare library" in r.output


def test_track_by_code(libpath: str, tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    r = run("track", "GB 5749", "--library", libpath, "--json", str(out), "-q")
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "stdcompare/track-v1"
    assert (data["old"]["code"], data["new"]["code"]) == ("GB 5749—2006", "GB 5749—2022")
    changed = {i["parameter_id"]: i for i in data["indicators"] if i["change"] != "unchanged"}
    assert changed["boron"]["direction"] == "relaxed"
    assert changed["perchlorate"]["change"] == "added"


def test_compare_by_library_codes(libpath: str, tmp_path: Path) -> None:
    out = tmp_path / "c.json"
    r = run(
        "compare",
        "GB 5749",
        "Directive (EU) 2020/2184",
        "--library",
        libpath,
        "--json",
        str(out),
        "-q",
        "--no-cache",
    )
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["a"]["code"] == "GB 5749—2022" and data["b"]["code"] == "Directive (EU) 2020/2184"
    assert {g["parameter"]: g["verdict"] for g in data["gaps"]}.get("lead") == "b_stricter"
    r = run("compare", "GB 5749-2006", "GB 5794", "--library", libpath, "--json", str(out), "-q")
    assert r.exit_code == 1 and "GB 5794" in r.output and "near matches" in r.output
