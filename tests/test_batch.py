"""Batch runs on local processes: outputs, failure isolation, resume, interruption, crashes, CLI."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import numpy as np
import pytest
from click.testing import CliRunner

from stdcompare.batch import (
    EXIT_ALL_FAILED,
    EXIT_PARTIAL,
    BatchEvent,
    BatchResult,
    Manifest,
    read_manifest,
    run_batch,
)
from stdcompare.batch.backends import BatchError
from stdcompare.cli.main import main

ROOT = Path(__file__).resolve().parents[1]

# Figures from the standards named in each text (excerpts written for these tests).
GB_WATER = """GB 5749—2022
生活饮用水卫生标准
1 范围
本文件规定了生活饮用水水质要求。
4 生活饮用水水质要求
4.1 铅的含量不得超过0.01 mg/L。
4.2 pH 不小于6.5且不大于8.5。"""
EU_WATER = """Directive (EU) 2020/2184
on the quality of water intended for human consumption
Article 1
Subject matter
This Directive concerns the quality of water intended for human consumption.
ANNEX I
1 Lead shall not exceed 5 µg/l.
2 pH ≥ 6,5 and ≤ 9,5."""
GB_DIESEL = """GB 19147—2016
车用柴油
1 范围
本标准规定了车用柴油的技术要求。
4 技术要求
4.1 硫含量不大于10 mg/kg。
4.2 十六烷值不小于51。"""
RU_DIESEL = """ТР ТС 013/2011
О требованиях к автомобильному и авиационному бензину, дизельному и судовому топливу
Статья 1
Область применения
Настоящий технический регламент устанавливает требования к дизельному топливу.
Статья 4
1 Массовая доля серы в дизельном топливе класса К5 не более 10 мг/кг."""
CRASH_DOC = """Test document
1 Scope
This clause carries the CRASH-MARKER that makes the test embedder kill its process.
2 Limits
2.1 Lead shall not exceed 7 mg/kg."""


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from corpora.pdfgen import render_text

    root = tmp_path_factory.mktemp("batch-docs")
    for name, text in (
        ("gb-water.pdf", GB_WATER),
        ("eu-water.pdf", EU_WATER),
        ("gb-diesel.pdf", GB_DIESEL),
        ("ru-diesel.pdf", RU_DIESEL),
        ("crash.pdf", CRASH_DOC),
    ):
        render_text(text, root / name)
    (root / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage\n")
    img = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(img)
    for y in range(80, 760, 28):
        draw.line((60, y, 540, y), fill=0, width=3)
    c = canvas.Canvas(str(root / "scanned.pdf"))
    c.drawImage(ImageReader(img), 0, 0, 595, 842)
    c.showPage()
    c.save()
    return root


def manifest(folder: Path, rows: Sequence[Sequence[str]], name: str = "pairs.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def rel(docs: Path, folder: Path, name: str) -> str:
    return os.path.relpath(docs / name, folder)


def read_summary(out: Path) -> list[dict[str, str]]:
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def output_files(out: Path, name: str) -> dict[str, int]:
    folder = out / "pairs" / name
    return (
        {p.name: p.stat().st_mtime_ns for p in sorted(folder.iterdir())} if folder.is_dir() else {}
    )


# --- a full batch with failures -------------------------------------------------------------------


def test_batch_isolates_failures_and_writes_every_output(docs: Path, tmp_path: Path) -> None:
    m = manifest(
        tmp_path / "lists",
        [
            ["name", "a", "b", "notes"],
            [
                "水 & EU",
                rel(docs, tmp_path / "lists", "gb-water.pdf"),
                str(docs / "eu-water.pdf"),
                "<script>alert(1)</script>",
            ],
            ["diesel", str(docs / "gb-diesel.pdf"), str(docs / "ru-diesel.pdf"), ""],
            ["water-vs-diesel", str(docs / "gb-water.pdf"), str(docs / "ru-diesel.pdf"), ""],
            ["missing", str(docs / "gb-water.pdf"), str(docs / "nope.pdf"), ""],
            ["corrupt", str(docs / "corrupt.pdf"), str(docs / "eu-water.pdf"), ""],
            ["scanned", str(docs / "gb-diesel.pdf"), str(docs / "scanned.pdf"), ""],
        ],
    )
    events: list[BatchEvent] = []
    out = tmp_path / "out"
    result = run_batch(m, out, jobs=2, progress=events.append)

    assert isinstance(result, BatchResult)
    status = {p.name: p.status for p in result}
    assert status == {
        "水 & EU": "done",
        "diesel": "done",
        "water-vs-diesel": "done",
        "missing": "failed",
        "corrupt": "failed",
        "scanned": "failed",
    }
    assert result.exit_code == EXIT_PARTIAL == 3
    errors = {p.name: p for p in result.failed}
    assert "nope.pdf" in errors["missing"].error and "not found" in errors["missing"].error
    assert errors["missing"].error_type == "DocumentNotFound"
    assert "corrupt.pdf" in errors["corrupt"].error and errors["corrupt"].error_type == "CorruptPDF"
    assert "scanned.pdf" in errors["scanned"].error and "scanned" in errors["scanned"].error
    assert errors["scanned"].error_type == "TextLayerError"
    for p in result.failed:
        assert "\n" not in p.error and p.line > 1

    # each distinct document was read once, however many pairs use it
    by_source = {Path(d.source).name: d for d in result.documents}
    assert sorted(by_source) == sorted(
        [
            "gb-water.pdf",
            "eu-water.pdf",
            "gb-diesel.pdf",
            "ru-diesel.pdf",
            "nope.pdf",
            "corrupt.pdf",
            "scanned.pdf",
        ]
    )
    assert len(result.documents) == 7
    assert by_source["gb-water.pdf"].pairs == 3 and by_source["gb-water.pdf"].status == "ingested"
    assert by_source["nope.pdf"].status == "missing"
    assert by_source["corrupt.pdf"].status == by_source["scanned.pdf"].status == "failed"
    cached = list((out / ".stdcompare" / "documents").glob("*.json"))
    assert len(cached) == 4

    # outputs of the good pairs
    for p in result:
        folder = out / "pairs" / p.name
        if not p.ok:
            assert sorted(f.name for f in folder.iterdir()) == ["state.json"]
            assert json.loads((folder / "state.json").read_text("utf-8"))["status"] == "failed"
            continue
        data = json.loads((folder / "comparison.json").read_text("utf-8"))
        assert data["schema"] == "stdcompare/comparison-v1"
        assert data["summary"] == dict(p.summary) and sum(p.summary.values()) == p.gaps
        assert (folder / "report.html").read_text("utf-8").lstrip().startswith("<!DOCTYPE html>")
        with zipfile.ZipFile(folder / "report.xlsx") as z:
            assert "xl/workbook.xml" in z.namelist()
        assert set(p.outputs) == {"json", "html", "xlsx"}
        assert p.a_code and p.b_code and p.seconds > 0
        assert oct((folder / "report.html").stat().st_mode & 0o044) == oct(0o044)  # readable
    water = json.loads((out / "pairs" / "水 & EU" / "comparison.json").read_text("utf-8"))
    assert {g["parameter"]: g["verdict"] for g in water["gaps"]}.get("lead") == "b_stricter"
    assert water["a"]["source"] == str(docs / "gb-water.pdf")

    # summary.csv: one row per pair, manifest order
    rows = read_summary(out)
    assert [r["name"] for r in rows] == [p.name for p in result]
    for r, p in zip(rows, result, strict=True):
        assert r["status"] == p.status and r["error"] == p.error
        if p.ok:
            assert int(r["gaps"]) == p.gaps and int(r["b_stricter"]) == p.summary["b_stricter"]
            assert r["html"] == f"pairs/{p.name}/report.html"
        else:
            assert r["gaps"] == "" and r["html"] == ""

    # index.html: escaped, strict CSP, working links, failures listed
    page = (out / "index.html").read_text("utf-8")
    assert "<script" not in page
    assert html.escape("<script>alert(1)</script>") in page
    assert "水 &amp; EU" in page
    assert "Content-Security-Policy" in page and "script-src &#39;none&#39;" in page
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style is not None
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"sha256-{digest}" in page
    links = re.findall(r'href="([^"]+)"', page)
    assert links and all((out / unquote(link)).is_file() for link in links)
    assert "Failures (3)" in page and html.escape(errors["corrupt"].error, quote=True) in page

    # progress events: start, one per document read, one per pair, finish
    kinds = [e.kind for e in events]
    assert kinds[0] == "start" and kinds[-1] == "finish"
    assert kinds.count("pair") == 6 and kinds.count("document") == 6
    last_pair = [e for e in events if e.kind == "pair"][-1]
    assert (last_pair.pairs_done, last_pair.pairs_total) == (6, 6)


# --- resume -------------------------------------------------------------------------------------


def test_rerun_skips_up_to_date_pairs_and_force_redoes_them(docs: Path, tmp_path: Path) -> None:
    import shutil

    from corpora.pdfgen import render_text

    work = tmp_path / "in"
    work.mkdir()
    for n in ("gb-water.pdf", "eu-water.pdf", "gb-diesel.pdf", "ru-diesel.pdf"):
        shutil.copy(docs / n, work / n)
    rows = [
        ["name", "a", "b", "conversions"],
        ["water", "gb-water.pdf", "eu-water.pdf", ""],
        ["diesel", "gb-diesel.pdf", "ru-diesel.pdf", ""],
        ["diesel-2", "gb-diesel.pdf", "ru-diesel.pdf", ""],
        ["water-diesel", "gb-water.pdf", "ru-diesel.pdf", ""],
        ["missing", "gb-water.pdf", "gone.pdf", ""],
    ]
    names = [r[0] for r in rows[1:5]]  # the pairs that succeed
    m = manifest(work, rows)
    out = tmp_path / "out"
    first = run_batch(m, out, jobs=1)
    assert [p.status for p in first] == ["done"] * 4 + ["failed"]
    before = {n: output_files(out, n) for n in names}

    second = run_batch(m, out, jobs=1)
    assert [p.status for p in second] == ["up_to_date"] * 4 + ["failed"]  # failures are retried
    assert second.backend == "nothing to compute"  # no worker was even started
    assert {n: output_files(out, n) for n in names} == before
    assert second["water"].summary == first["water"].summary
    assert second["water"].seconds == first["water"].seconds
    assert second.exit_code == EXIT_PARTIAL
    assert [r["status"] for r in read_summary(out)] == ["up_to_date"] * 4 + ["failed"]

    # new content in an input, a changed option, a lost output: those pairs only
    render_text(EU_WATER + "\n3 Arsenic shall not exceed 10 µg/l.", work / "eu-water.pdf")
    rows[2][3] = "N/NO3=0.2259"
    m = manifest(work, rows)
    (out / "pairs" / "diesel-2" / "report.xlsx").unlink()
    third = run_batch(m, out, jobs=1)
    assert [p.status for p in third] == ["done", "done", "done", "up_to_date", "failed"]
    assert output_files(out, "water-diesel") == before["water-diesel"]
    assert third["diesel"].options["conversions"] == "N/NO3=0.2259"
    assert {Path(d.source).name: d.status for d in third.documents}["eu-water.pdf"] == "ingested"

    # --force compares everything again (and other formats replace the old outputs)
    before = {n: output_files(out, n) for n in names}
    forced = run_batch(m, out, jobs=1, formats="json", force=True)
    assert [p.status for p in forced] == ["done"] * 4 + ["failed"]
    for n in names:
        assert sorted(output_files(out, n)) == ["comparison.json", "state.json"]
        assert output_files(out, n)["comparison.json"] > before[n]["comparison.json"]
    assert {d.status for d in forced.documents} == {"ingested", "missing"}
    again = run_batch(m, out, formats="json")
    assert [p.status for p in again] == ["up_to_date"] * 4 + ["failed"]


def test_documents_read_in_an_earlier_run_come_from_the_cache(docs: Path, tmp_path: Path) -> None:
    rows = [["name", "a", "b"], ["water", str(docs / "gb-water.pdf"), str(docs / "eu-water.pdf")]]
    out = tmp_path / "out"
    run_batch(manifest(tmp_path, rows), out, jobs=1, formats="json")
    rows.append(["water-2", str(docs / "gb-water.pdf"), str(docs / "ru-diesel.pdf")])
    r = run_batch(manifest(tmp_path, rows), out, jobs=1, formats="json")
    assert [p.status for p in r] == ["up_to_date", "done"]
    assert {Path(d.source).name: d.status for d in r.documents} == {
        "gb-water.pdf": "cached",
        "eu-water.pdf": "not_needed",
        "ru-diesel.pdf": "ingested",
    }


# --- interruption -------------------------------------------------------------------------------


def _complete(folder: Path) -> bool:
    """The pair's state says done and every output it lists is whole."""
    state = json.loads((folder / "state.json").read_text("utf-8"))
    assert state["status"] in ("done", "failed")
    if state["status"] != "done":
        return False
    json.loads((folder / "comparison.json").read_text("utf-8"))
    assert (folder / "report.html").read_text("utf-8").rstrip().endswith("</html>")
    return True


def test_killed_run_leaves_no_half_written_report_and_resumes(docs: Path, tmp_path: Path) -> None:
    rows = [["name", "a", "b"]] + [
        [f"pair-{i}", str(docs / "gb-water.pdf"), str(docs / "eu-water.pdf")] for i in range(12)
    ]
    m = manifest(tmp_path, rows)
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "stdcompare.cli.main",
        "batch",
        str(m),
        "--out",
        str(out),
        "-j",
        "1",
        "--format",
        "json,html",
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    assert proc.stderr is not None
    try:
        for line in proc.stderr:
            if "[2/12]" in line:
                os.killpg(proc.pid, signal.SIGKILL)  # the whole run, workers included
                break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be interrupted"

    finished = set()
    for folder in (out / "pairs").iterdir():
        names = {p.name for p in folder.iterdir()}
        finals = names & {"comparison.json", "report.html", "state.json"}
        if "state.json" in finals and _complete(folder):
            finished.add(folder.name)
        else:  # a pair cut short: no state, so it is not taken as done
            assert "state.json" not in finals
    assert len(finished) >= 2

    result = run_batch(m, out, jobs=1, formats="json,html")
    assert result.exit_code == 0
    assert {p.name for p in result.by_status("up_to_date")} == finished
    for p in result:
        folder = out / "pairs" / p.name
        assert _complete(folder)
        assert not [f for f in folder.iterdir() if f.name.startswith(".")]  # temp files swept


# --- a worker process that dies -------------------------------------------------------------------


class CrashingEmbedder:
    """The real USE embedder, except that a text with CRASH-MARKER kills the process."""

    model_id = "test-crash-use"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if any("CRASH-MARKER" in t for t in texts):
            os._exit(70)
        from stdcompare.alignment.embedders import get_embedder

        return get_embedder("use").encode(texts)


def test_a_worker_that_dies_fails_only_its_pair(docs: Path, tmp_path: Path) -> None:
    rows = [
        ["name", "a", "b"],
        ["water", str(docs / "gb-water.pdf"), str(docs / "eu-water.pdf")],
        ["crash", str(docs / "crash.pdf"), str(docs / "eu-water.pdf")],
        ["diesel", str(docs / "gb-diesel.pdf"), str(docs / "ru-diesel.pdf")],
    ]
    result = run_batch(
        manifest(tmp_path, rows),
        tmp_path / "out",
        jobs=2,
        embedder=CrashingEmbedder(),
        formats="json",
    )
    assert {p.name: p.status for p in result} == {
        "water": "done",
        "crash": "failed",
        "diesel": "done",
    }
    crash = result["crash"]
    assert crash.error_type == "WorkerCrash" and "worker process died" in crash.error


# --- library API details ------------------------------------------------------------------------


def test_resolver_can_supply_ingested_documents(docs: Path, tmp_path: Path) -> None:
    import stdcompare

    library = {"GB 5749—2022": stdcompare.load(docs / "gb-water.pdf")}

    def resolver(value: str, base_dir: Path) -> Any:
        return library.get(value)

    m = Manifest.from_pairs([{"name": "lib", "a": "GB 5749—2022", "b": str(docs / "eu-water.pdf")}])
    result = run_batch(m, tmp_path / "out", jobs=1, resolver=resolver, formats="json")
    assert result["lib"].status == "done" and result["lib"].a_code == "GB 5749—2022"
    assert {d.status for d in result.documents} == {"provided", "ingested"}
    again = run_batch(m, tmp_path / "out", jobs=1, resolver=resolver, formats="json")
    assert again["lib"].status == "up_to_date"


def test_bad_arguments_are_refused_before_any_work(docs: Path, tmp_path: Path) -> None:
    m = manifest(tmp_path, [["name", "a", "b"], ["x", "a.pdf", "b.pdf"]])
    (tmp_path / "file").write_text("x")
    with pytest.raises(BatchError, match="is a file"):
        run_batch(m, tmp_path / "file")
    with pytest.raises(BatchError, match="either jobs or scheduler"):
        run_batch(m, tmp_path / "o", jobs=2, scheduler="tcp://127.0.0.1:1")
    with pytest.raises(BatchError, match="at least 1"):
        run_batch(m, tmp_path / "o", jobs=0)
    with pytest.raises(BatchError, match="unknown embedder 'bert'; choose one of: use, e5"):
        run_batch(m, tmp_path / "o", embedder="bert")
    with pytest.raises(BatchError, match="unknown output format 'pdf'"):
        run_batch(m, tmp_path / "o", formats="json,pdf")
    assert not (tmp_path / "o").exists()
    from filelock import FileLock

    (tmp_path / "busy" / ".stdcompare").mkdir(parents=True)
    with (
        FileLock(str(tmp_path / "busy" / ".stdcompare" / "lock")),
        pytest.raises(BatchError, match="another batch is writing"),
    ):
        run_batch(m, tmp_path / "busy")


def test_all_pairs_failing_is_its_own_exit_code(docs: Path, tmp_path: Path) -> None:
    m = manifest(
        tmp_path,
        [
            ["name", "a", "b"],
            ["x", "a.pdf", "b.pdf"],
            ["y", str(docs / "corrupt.pdf"), str(docs / "eu-water.pdf")],
        ],
    )
    r = run_batch(m, tmp_path / "out", jobs=1)
    assert r.exit_code == EXIT_ALL_FAILED == 4
    frame = r.to_frame()
    assert list(frame["status"]) == ["failed", "failed"] and frame["error"].str.len().min() > 10


# --- command line -------------------------------------------------------------------------------


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_batch_exit_codes_and_messages(docs: Path, tmp_path: Path) -> None:
    good = manifest(
        tmp_path,
        [["name", "a", "b"], ["water", str(docs / "gb-water.pdf"), str(docs / "eu-water.pdf")]],
        "good.csv",
    )
    r = run_cli("batch", str(good), "--out", str(tmp_path / "o1"), "-j", "1")
    assert r.exit_code == 0, r.output
    assert (
        "1 pairs: 1 compared" in r.stdout and f"index: {tmp_path / 'o1' / 'index.html'}" in r.stdout
    )
    assert "stdcompare: [1/1] water:" in r.stderr  # plain log lines when not on a terminal
    r = run_cli("batch", str(good), "--out", str(tmp_path / "o1"), "-q")
    assert r.exit_code == 0 and "1 up to date" in r.stdout and r.stderr == ""

    partial = manifest(
        tmp_path,
        [
            ["name", "a", "b"],
            ["water", str(docs / "gb-water.pdf"), str(docs / "eu-water.pdf")],
            ["gone", "nope.pdf", "b.pdf"],
        ],
        "partial.csv",
    )
    r = run_cli("batch", str(partial), "--out", str(tmp_path / "o2"), "-j", "1", "-q")
    assert r.exit_code == 3 and "failed: gone:" in r.stderr and "nope.pdf" in r.stderr
    bad = manifest(tmp_path, [["name", "a", "b"], ["gone", "nope.pdf", "b.pdf"]], "bad.csv")
    assert run_cli("batch", str(bad), "--out", str(tmp_path / "o3"), "-q").exit_code == 4


def test_cli_reports_a_malformed_manifest_with_its_line(tmp_path: Path) -> None:
    m = manifest(
        tmp_path,
        [
            ["name", "a", "b", "embedder"],
            ["x", "a.pdf", "b.pdf", "use"],
            ["y", "a.pdf", "b.pdf", "bert"],
        ],
    )
    r = run_cli("batch", str(m), "--out", str(tmp_path / "out"))
    assert r.exit_code == 1
    assert f"{m}:3: unknown embedder 'bert'" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()
    r = run_cli(
        "batch",
        str(m),
        "--out",
        str(tmp_path / "out"),
        "-j",
        "2",
        "--scheduler",
        "tcp://127.0.0.1:1",
    )
    assert r.exit_code == 1  # the manifest is checked first
    ok = manifest(tmp_path, [["name", "a", "b"], ["x", "a.pdf", "b.pdf"]], "ok.csv")
    r = run_cli(
        "batch",
        str(ok),
        "--out",
        str(tmp_path / "out"),
        "-j",
        "2",
        "--scheduler",
        "tcp://127.0.0.1:1",
    )
    assert r.exit_code == 1 and "either jobs or scheduler" in r.output
    r = run_cli("batch", str(ok), "--out", str(tmp_path / "out"), "--format", "docx")
    assert r.exit_code == 1 and "unknown output format 'docx'" in r.output
    assert read_manifest(ok).pairs[0].name == "x"


def test_cli_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from stdcompare.batch import PairResult
    from stdcompare.cli.batch import _progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    with _progress(enabled=True) as on_event:
        assert on_event is not None
        on_event(BatchEvent("start", pairs_total=2, docs_total=1, message="2 pairs: 2 to compare"))
        on_event(
            BatchEvent("pair", pairs_done=1, pairs_total=2, pair=PairResult("a", "done", "x", "y"))
        )
        failed = PairResult("b", "failed", "x", "y", error="y: file not found")
        on_event(BatchEvent("pair", pairs_done=2, pairs_total=2, pair=failed))
    text = err.getvalue()
    assert (
        "2 pairs: 2 to compare" in text
        and "pairs" in text
        and "failed: b: y: file not found" in text
    )
    assert "2/2" in text


# --- Dask ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Any:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
    ) as c:
        yield c


def _comparable(out: Path, name: str) -> dict[str, Any]:
    data = json.loads((out / "pairs" / name / "comparison.json").read_text("utf-8"))
    return {k: data[k] for k in ("a", "b", "clause_pairs", "gaps", "summary")}


def test_dask_cluster_gives_the_same_results_as_local_processes(
    docs: Path, tmp_path: Path, cluster: Any
) -> None:
    rows = [
        ["name", "a", "b"],
        ["water", "gb-water.pdf", "eu-water.pdf"],
        ["diesel", "gb-diesel.pdf", "ru-diesel.pdf"],
        ["water-vs-diesel", "gb-water.pdf", "ru-diesel.pdf"],
        ["missing", "gb-water.pdf", "nope.pdf"],
        ["corrupt", "corrupt.pdf", "eu-water.pdf"],
    ]
    m = manifest(
        docs / "lists",
        [[r[0], *("../" + x if x.endswith(".pdf") else x for x in r[1:])] for r in rows],
    )
    local = run_batch(m, tmp_path / "local", jobs=1)
    events: list[BatchEvent] = []
    remote = run_batch(
        m, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=events.append
    )
    assert remote.backend.startswith("Dask scheduler") and "1 worker" in remote.backend
    assert [(p.name, p.status, p.error, p.error_type) for p in remote] == [
        (p.name, p.status, p.error, p.error_type) for p in local
    ]
    assert remote.exit_code == local.exit_code == EXIT_PARTIAL
    for p in remote:
        if p.ok:
            assert _comparable(tmp_path / "dask", p.name) == _comparable(tmp_path / "local", p.name)
            assert set(p.outputs) == {"json", "html", "xlsx"}
    volatile = {
        "seconds",
        "cpu_seconds",
        "finished",
        *[k for k in read_summary(tmp_path / "local")[0] if k.endswith("_s")],
    }
    strip = lambda rows: [{k: v for k, v in r.items() if k not in volatile} for r in rows]  # noqa: E731
    assert strip(read_summary(tmp_path / "dask")) == strip(read_summary(tmp_path / "local"))
    # documents were ingested once on the cluster and cached beside the outputs
    assert {d.status for d in remote.documents} == {"ingested", "failed", "missing"}
    assert len(list((tmp_path / "dask" / ".stdcompare" / "documents").glob("*.json"))) == 4
    assert [e.kind for e in events].count("pair") == 5


def test_dask_with_a_client_object_and_resume(docs: Path, tmp_path: Path, cluster: Any) -> None:
    from distributed import Client

    rows = [["name", "a", "b"], ["water", str(docs / "gb-water.pdf"), str(docs / "eu-water.pdf")]]
    m = manifest(tmp_path, rows)
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        first = run_batch(m, tmp_path / "out", scheduler=client, formats="json")
        assert first["water"].status == "done"
        rows.append(["diesel", str(docs / "gb-diesel.pdf"), str(docs / "ru-diesel.pdf")])
        second = run_batch(
            manifest(tmp_path, rows), tmp_path / "out", scheduler=client, formats="json"
        )
        assert [p.status for p in second] == ["up_to_date", "done"]
        assert client.status == "running"  # a caller's client is left open


def test_unreachable_scheduler_is_a_clear_error() -> None:
    pytest.importorskip("distributed")
    from stdcompare.batch import SchedulerUnavailable
    from stdcompare.batch.backends import DaskBackend

    t0 = time.perf_counter()
    with pytest.raises(
        SchedulerUnavailable, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    ):
        DaskBackend("tcp://127.0.0.1:9", timeout=1)
    assert time.perf_counter() - t0 < 15


def test_cli_manifest_may_name_library_codes(docs: Path, tmp_path: Path) -> None:
    from stdcompare.library import Library

    lib_path = tmp_path / "lib.sqlite"
    with Library(lib_path) as lib:
        lib.add(docs / "gb-water.pdf")
    m = manifest(
        tmp_path,
        [
            ["name", "a", "b"],
            ["by-code", "GB 5749—2022", str(docs / "eu-water.pdf")],
            ["unknown-code", "GB 99999", str(docs / "eu-water.pdf")],
            ["missing-file", "gb-water-typo.pdf", str(docs / "eu-water.pdf")],
        ],
    )
    out = tmp_path / "out"
    r = run_cli(
        "batch",
        str(m),
        "--out",
        str(out),
        "--library",
        str(lib_path),
        "-j",
        "1",
        "-q",
        "--format",
        "json",
    )
    assert r.exit_code == 3, r.output
    rows = {row["name"]: row for row in read_summary(out)}
    assert rows["by-code"]["status"] == "done" and rows["by-code"]["a_code"] == "GB 5749—2022"
    assert (
        rows["unknown-code"]["status"] == "failed" and "GB 99999" in rows["unknown-code"]["error"]
    )
    assert "file not found" in rows["missing-file"]["error"]


def test_an_interrupted_batch_still_writes_its_index(docs: Path, tmp_path: Path) -> None:
    rows = [["name", "a", "b"]] + [
        [f"p{i}", str(docs / "gb-water.pdf"), str(docs / "eu-water.pdf")] for i in range(4)
    ]
    out = tmp_path / "out"

    def stop_after_first_pair(event: BatchEvent) -> None:
        if event.kind == "pair":
            raise KeyboardInterrupt  # what Ctrl-C raises in the main process

    with pytest.raises(KeyboardInterrupt):
        run_batch(
            manifest(tmp_path, rows), out, jobs=1, progress=stop_after_first_pair, formats="json"
        )
    statuses = [r["status"] for r in read_summary(out)]
    assert (
        statuses[0] == "done" and set(statuses[1:]) <= {"done", "not_run"} and "not_run" in statuses
    )
    page = (out / "index.html").read_text("utf-8")
    assert "This batch was interrupted" in page and "not run" in page
    r = run_batch(manifest(tmp_path, rows), out, jobs=1, formats="json")
    assert r.by_status("up_to_date") and r.exit_code == 0


class EnvCheckingEmbedder:
    """The real USE embedder, in a worker that must see the caller's current environment."""

    model_id = "test-env-use"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if os.environ.get("STDCOMPARE_BATCH_TEST_MARK") != "set-by-the-caller":
            raise RuntimeError("the worker did not get the caller's environment")
        from stdcompare.alignment.embedders import get_embedder

        return get_embedder("use").encode(texts)


def test_workers_see_the_callers_environment(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [["name", "a", "b"], ["water", str(docs / "gb-water.pdf"), str(docs / "eu-water.pdf")]]
    m = manifest(tmp_path, rows)
    run_batch(m, tmp_path / "warm", jobs=1, formats="json")  # workers already running before
    monkeypatch.setenv("STDCOMPARE_BATCH_TEST_MARK", "set-by-the-caller")
    r = run_batch(m, tmp_path / "out", jobs=1, formats="json", embedder=EnvCheckingEmbedder())
    assert r["water"].status == "done", r["water"].error


@pytest.mark.slow
def test_real_codex_standards_on_dask_and_locally(
    real_pdfs: Path, tmp_path: Path, cluster: Any
) -> None:
    """Real Codex PDFs (CXS 193 is over 1 MB, so it travels to the worker as scattered data)."""
    rows = [
        ["name", "a", "b"],
        ["cxs241-vs-193", str(real_pdfs / "CXS_241e.pdf"), str(real_pdfs / "CXS_193e.pdf")],
        ["cxs241-self", str(real_pdfs / "CXS_241e.pdf"), str(real_pdfs / "CXS_241e.pdf")],
    ]
    m = manifest(tmp_path, rows)
    remote = run_batch(m, tmp_path / "dask", scheduler=cluster.scheduler_address, formats="json")
    local = run_batch(m, tmp_path / "local", jobs=2, formats="json")
    assert [p.status for p in remote] == [p.status for p in local] == ["done", "done"]
    for p in remote:
        assert _comparable(tmp_path / "dask", p.name) == _comparable(tmp_path / "local", p.name)
    assert remote["cxs241-vs-193"].b_code and "193" in remote["cxs241-vs-193"].b_code
    assert len(remote.documents) == 2  # CXS 241 read once for both pairs
