"""The standards library: storage, editions, dedup, full-text search, resolution, locking."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stdcompare import Document, load
from stdcompare import errors as stdcompare_errors
from stdcompare.library import (
    AmbiguousSpec,
    Library,
    LibraryError,
    NoSuchDocument,
    NotInLibrary,
    code_key,
    default_library_path,
    resolve,
    split_code,
)
from stdcompare.library.resolve import resolve_pair
from stdcompare.library.store import SCHEMA_VERSION, snippet
from stdcompare.model import Clause, Metadata

ROOT = Path(__file__).resolve().parents[1]

GB_2006 = """GB 5749—2006
生活饮用水卫生标准
前言
本标准代替GB 5749—1985。
1 范围
本标准规定了生活饮用水水质卫生要求。
4 水质要求
4.1 铅的含量不得超过0.01 mg/L。
4.2 硼的含量不得超过0.5 mg/L。
4.3 菌落总数不得超过100 CFU/mL。
"""
GB_2022 = """GB 5749—2022
代替 GB 5749—2006
生活饮用水卫生标准
前言
本文件代替GB 5749—2006。
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
2 The pH of the water shall be between 6,5 and 9,5.
3 Bisphenol A is a new parameter of concern.
"""
GOST_TEXT = """ГОСТ 32511—2013
Топливо дизельное ЕВРО. Технические условия
1 Область применения
Настоящий стандарт распространяется на дизельное топливо.
4 Технические требования
4.1 Массовая доля СЕРЫ в топливе не должна превышать 10 мг/кг.
4.2 Цетановое число должно быть не менее 51.
"""


@pytest.fixture
def docs(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in (
        ("gb2006", GB_2006),
        ("gb2022", GB_2022),
        ("eu", EU_TEXT),
        ("gost", GOST_TEXT),
    ):
        p = tmp_path / f"{name}.txt"
        p.write_text(text, encoding="utf-8")
        out[name] = p
    return out


@pytest.fixture
def lib(tmp_path: Path, docs: dict[str, Path]) -> Library:
    library = Library(tmp_path / "lib" / "library.sqlite")
    for p in docs.values():
        assert library.add(p).added
    yield library
    library.close()


# --- codes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "base", "edition"),
    [
        ("GB 5749—2022", "GB 5749", "2022"),
        ("GB 5749-2006", "GB 5749", "2006"),
        ("GB5749－2022", "GB 5749", "2022"),
        ("GB 5749-85", "GB 5749", "1985"),
        ("GB/T 20001.10—2014", "GB/T 20001.10", "2014"),
        ("NY/T 391—2021", "NY/T 391", "2021"),
        ("GB 2760—2014/XG1—2015", "GB 2760", "2014/XG1—2015"),
        ("ISO 6579-1:2017", "ISO 6579-1", "2017"),
        ("ISO 3696 : 1987", "ISO 3696", "1987"),
        ("EN ISO 3696:1995", "EN ISO 3696", "1995"),
        ("ISO 3696-15", "ISO 3696-15", None),
        ("IEC 60335-2-24:2019", "IEC 60335-2-24", "2019"),
        ("ГОСТ 32511—2013", "ГОСТ 32511", "2013"),
        ("ГОСТ Р 52368-2005", "ГОСТ Р 52368", "2005"),
        ("ГОСТ 2874-82", "ГОСТ 2874", "1982"),
        ("CXS 193-1995", "CXS 193", "1995"),
        ("ТР ТС 013/2011", "ТР ТС 013/2011", None),
        ("Regulation (EU) 2023/915", "Regulation (EU) 2023/915", None),
        ("21 CFR 165.110", "21 CFR 165.110", None),
    ],
)
def test_split_code(code: str, base: str, edition: str | None) -> None:
    parts = split_code(code)
    assert (parts.base, parts.edition) == (base, edition)


@pytest.mark.parametrize(
    ("x", "y"),
    [
        ("GB 5749", "gb5749"),
        ("ТР ТС 013/2011", "TP TC 013/2011"),
        ("ГОСТ 32511", "GOST 32511"),
        ("ISO 3696", "ИСО 3696"),
        ("GB/T 6682", "GB/T  6682"),
        ("CODEX STAN 193-1995", "CXS 193-1995"),
        ("CAC/GL 21-1997", "CXG 21-1997"),
        ("Commission Regulation (EU) 2023/915", "Regulation (EU) 2023/915"),
        ("Commission Regulation (EC) No 1881/2006", "Regulation (EC) 1881/2006"),
        ("Commission Implementing Regulation (EU) 2019/1793", "regulation (EU) 2019/1793"),
    ],
)
def test_code_key_folds_spellings(x: str, y: str) -> None:
    assert code_key(x) == code_key(y)


def test_code_key_keeps_different_standards_apart() -> None:
    assert code_key("GB 5749") != code_key("GB 5750")
    assert code_key("Regulation (EU) 2023/915") != code_key("Directive (EU) 2023/915")
    assert split_code("GB 5749—2006").key == split_code("GB 5749—2022").key


def test_default_library_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STDCOMPARE_LIBRARY", str(tmp_path / "x.sqlite"))
    assert default_library_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("STDCOMPARE_LIBRARY")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_library_path() == tmp_path / "data" / "stdcompare" / "library.sqlite"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_library_path() == (
        tmp_path / "home" / ".local" / "share" / "stdcompare" / "library.sqlite"
    )


# --- storing ------------------------------------------------------------------------------------


def test_editions_are_versions_of_one_standard(lib: Library) -> None:
    eds = lib.editions("GB 5749")
    assert [e.code for e in eds] == ["GB 5749—2006", "GB 5749—2022"]
    assert {e.base_code for e in eds} == {"GB 5749"}
    assert [e.edition for e in eds] == ["2006", "2022"]
    assert lib.latest("GB 5749").edition == "2022"
    assert lib.latest("gb5749-2006").edition == "2006"
    assert lib.find("GB 5749－2022")[0].code == "GB 5749—2022"
    assert lib.editions("GB 5749—2006") == eds  # the edition in the spec is ignored
    assert lib.latest("GB 5749").replaces == ("GB 5749—2006",)


def test_entries_listing(lib: Library) -> None:
    entries = lib.entries()
    assert len(entries) == len(lib) == 4
    assert {e.language for e in entries} == {"zh", "en", "ru"}
    gost = lib.latest("GOST 32511")
    assert gost.code == "ГОСТ 32511—2013" and gost.language == "ru"
    eu = lib.latest("Directive (EU) 2020/2184")
    assert eu.edition is None and eu.clauses >= 2


def test_duplicate_content_is_stored_once(
    lib: Library, docs: dict[str, Path], tmp_path: Path
) -> None:
    again = lib.add(docs["gb2006"])
    assert not again.added and "already" in again.note
    copy = tmp_path / "copy-of-2006.txt"
    copy.write_bytes(docs["gb2006"].read_bytes())
    assert not lib.add(copy).added
    assert len(lib) == 4


def test_stored_document_round_trips(lib: Library, docs: dict[str, Path]) -> None:
    original = load(docs["gb2022"])
    stored = lib.document("GB 5749—2022")
    assert stored == original
    assert stored.sha256 == original.sha256 and stored.clauses == original.clauses


def test_add_a_document_object_and_code_override(tmp_path: Path) -> None:
    doc = Document(
        source="memory",
        language="en",
        pages=1,
        metadata=Metadata(),
        clauses=(Clause(id="1", heading="Scope", text="This code of practice applies.", page=1),),
    )
    with Library(tmp_path / "l.sqlite") as lib:
        with pytest.raises(LibraryError, match="--code"):
            lib.add(doc)
        res = lib.add(doc, code="CXC 1-1969")
        assert res.added and res.entry.base_code == "CXC 1" and res.entry.edition == "1969"
        assert lib.document("CXC 1").clauses == doc.clauses


def test_second_file_of_same_edition_is_kept_with_a_note(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(GB_2022, encoding="utf-8")
    b.write_text(GB_2022 + "4.4 氟化物的含量不应超过1.0 mg/L。\n", encoding="utf-8")
    with Library(tmp_path / "l.sqlite") as lib:
        lib.add(a)
        res = lib.add(b)
        assert res.added and "another file of GB 5749—2022" in res.note
        assert len(lib.find("GB 5749—2022")) == 2
        assert lib.latest("GB 5749").source == str(b)  # the most recently added one


def test_remove(lib: Library) -> None:
    with pytest.raises(AmbiguousSpec, match="2 stored documents"):
        lib.remove("GB 5749")
    removed = lib.remove("GB 5749—2006")
    assert [e.code for e in removed] == ["GB 5749—2006"]
    assert [e.code for e in lib.editions("GB 5749")] == ["GB 5749—2022"]
    assert not lib.search("硼 0.5")  # its clauses left the index too
    sha = lib.latest("GB 5749").sha256
    assert lib.remove(sha[:10])[0].sha256 == sha
    with pytest.raises(NotInLibrary, match="not in the library"):
        lib.remove("GB 5749")
    assert len(lib) == 2


def test_remove_all_editions(lib: Library) -> None:
    assert len(lib.remove("GB 5749", all_editions=True)) == 2
    assert lib.editions("GB 5749") == []


# --- search -------------------------------------------------------------------------------------


def _refs(hits: list) -> set[tuple[str, str]]:
    return {(h.code, h.ref) for h in hits}


def test_search_chinese_substrings(lib: Library) -> None:
    hits = lib.search("饮用水")  # three characters: the trigram index
    assert {h.code for h in hits} >= {"GB 5749—2006", "GB 5749—2022"}
    assert ("GB 5749—2022", "4.3") in _refs(lib.search("高氯酸盐"))
    assert "高氯酸盐" in lib.search("高氯酸盐")[0].snippet


@pytest.mark.parametrize("query", ["铅", "硼", "范围"])
def test_search_chinese_one_or_two_characters(lib: Library, query: str) -> None:
    hits = lib.search(query)
    assert hits and all(query in (h.heading + h.snippet) for h in hits)
    assert {h.code for h in hits} == {"GB 5749—2006", "GB 5749—2022"}


def test_search_english_ignores_case_and_phrases(lib: Library) -> None:
    assert _refs(lib.search("LEAD")) == {("Directive (EU) 2020/2184", "1")}
    assert lib.search('"water intended for human"')
    assert not lib.search('"human intended"')
    assert lib.search("water consumption")  # every term, any order


def test_search_russian_ignores_case(lib: Library) -> None:
    hits = lib.search("серы")
    assert _refs(hits) == {("ГОСТ 32511—2013", "4.1")}
    assert "СЕРЫ" in hits[0].snippet
    assert lib.search("ЦЕТАНОВОЕ число")


def test_search_short_latin_terms_match_whole_words(lib: Library) -> None:
    hits = lib.search("pH")
    assert hits and all("bisphenol" not in h.snippet.lower() for h in hits)
    assert ("Directive (EU) 2020/2184", "2") in _refs(hits)


def test_search_filters_and_limits(lib: Library) -> None:
    assert {h.code for h in lib.search("饮用水", code="GB 5749—2022")} == {"GB 5749—2022"}
    assert {h.language for h in lib.search("10", language="ru")} == {"ru"}
    assert len(lib.search("的", limit=2)) == 2
    assert lib.search("no such words anywhere") == []
    with pytest.raises(LibraryError, match="text"):
        lib.search("   ")
    with pytest.raises(NotInLibrary):
        lib.search("铅", code="GB 9999")


def test_search_finds_table_rows(tmp_path: Path) -> None:
    doc = load(ROOT / "corpora" / "water" / "gb5749-2022.pdf")
    with Library(tmp_path / "l.sqlite") as lib:
        lib.add(doc)
        hits = lib.search("菌落总数")
        assert any(h.kind == "table" for h in hits)
        assert all(h.page for h in hits)


_ALPHABET = st.sampled_from(list("生活饮用水卫生标准铅镉汞限量abcdefxyzABCDEFмассоваядоляСЕРЫ  "))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(_ALPHABET, min_size=3, max_size=60), data=st.data())
def test_any_substring_of_a_clause_is_found(tmp_path: Path, text: str, data: st.DataObject) -> None:
    words = text.split()
    if not words:
        return
    word = data.draw(st.sampled_from(words))
    start = data.draw(st.integers(0, max(0, len(word) - 1)))
    term = word[start : start + data.draw(st.integers(3, 8))]
    if len(term) < 3:
        return
    doc = Document(
        source="mem",
        language="zh",
        pages=1,
        clauses=(Clause(id="1", heading="", text=text, page=1),),
        sha256=str(abs(hash(text))),
    )
    path = tmp_path / f"p{abs(hash((text, term)))}.sqlite"
    with Library(path) as lib:
        lib.add(doc, code="GB 1—2000")
        assert lib.search(term), (text, term)
        assert lib.search(term.swapcase()), (text, term)


def test_snippet_centres_on_the_term() -> None:
    text = "x" * 200 + "目标词" + "y" * 200
    s = snippet(text, ["目标词"])
    assert "目标词" in s and s.startswith("…") and s.endswith("…") and len(s) < 100


# --- resolution ---------------------------------------------------------------------------------


def test_resolve_paths_codes_and_json(lib: Library, docs: dict[str, Path], tmp_path: Path) -> None:
    assert resolve(docs["eu"]).code == "Directive (EU) 2020/2184"
    assert resolve("GB 5749", lib).code == "GB 5749—2022"
    assert resolve("GB 5749-2006", lib).code == "GB 5749—2006"
    assert resolve("gb 5749—2006", lib.path).code == "GB 5749—2006"
    saved = load(docs["gost"]).save(tmp_path / "gost.json")
    assert resolve(saved).code == "ГОСТ 32511—2013"
    doc = load(docs["gb2006"])
    assert resolve(doc) is doc


def test_resolve_unknown_lists_near_matches(lib: Library) -> None:
    with pytest.raises(NoSuchDocument) as err:
        resolve("GB 5794", lib)
    msg = str(err.value)
    assert msg.startswith("GB 5794:") and "GB 5749—2022" in msg and "library add" in msg
    assert isinstance(err.value, LookupError)
    with pytest.raises(NoSuchDocument, match="no such file"):
        resolve("missing/file.pdf", lib)


def test_resolve_with_missing_default_library_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "nowhere" / "library.sqlite"
    monkeypatch.setenv("STDCOMPARE_LIBRARY", str(target))
    with pytest.raises(NoSuchDocument):
        resolve("GB 5749")
    assert not target.exists() and not target.parent.exists()


def test_resolve_pair(lib: Library) -> None:
    old, new = resolve_pair("GB 5749", library=lib)
    assert (old.code, new.code) == ("GB 5749—2006", "GB 5749—2022")
    old, new = resolve_pair("GB 5749—2022", "GB 5749—2006", lib)
    assert (old.code, new.code) == ("GB 5749—2022", "GB 5749—2006")
    with pytest.raises(LibraryError, match="only one edition"):
        resolve_pair("ГОСТ 32511", library=lib)
    with pytest.raises(LibraryError, match="only one edition"):
        resolve_pair("GB 5749—2006", library=lib)


# --- the file itself ----------------------------------------------------------------------------


def test_wal_mode_and_schema_version(lib: Library) -> None:
    conn = sqlite3.connect(lib.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "notes.sqlite"
    bad.write_text("this is not a database " * 100, encoding="utf-8")
    with pytest.raises(LibraryError, match="not a stdcompare library"):
        Library(bad)


def test_another_applications_database_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x TEXT)")
    conn.close()
    with pytest.raises(LibraryError, match="another application"):
        Library(path)
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert tables == {"notes"}


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(LibraryError, match="newer stdcompare"):
        Library(path)


def test_folder_given_as_library(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="folder"):
        Library(tmp_path)


def test_read_only_open_of_missing_library(tmp_path: Path) -> None:
    path = tmp_path / "absent.sqlite"
    with Library(path, create=False) as lib:
        assert len(lib) == 0 and lib.entries() == [] and lib.search("铅") == []
        with pytest.raises(LibraryError, match="does not exist"):
            lib.add(Document(source="m", language="en", pages=1), code="X 1-2000")
    assert not path.exists()


def test_writer_waits_for_a_lock_then_reports_it(tmp_path: Path, docs: dict[str, Path]) -> None:
    path = tmp_path / "l.sqlite"
    Library(path).close()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with Library(path, timeout=0.2) as lib, pytest.raises(LibraryError, match="locked"):
            lib.add(docs["eu"])
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with Library(path, timeout=0.2) as lib:
        assert lib.add(docs["eu"]).added


_WRITER = """
import sys
from stdcompare.library import Library
with Library(sys.argv[1]) as lib:
    for p in sys.argv[2:]:
        lib.add(p)
"""


def test_concurrent_writers(tmp_path: Path) -> None:
    files = []
    for k in range(6):
        p = tmp_path / f"s{k}.txt"
        p.write_text(
            f"GB {1000 + k}—2020\n1 范围\n本文件规定了第{k}号产品的要求。\n", encoding="utf-8"
        )
        files.append(str(p))
    path = str(tmp_path / "shared.sqlite")
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, path, *files[k::2]]) for k in range(2)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with Library(path) as lib:
        assert len(lib) == 6
        assert len(lib.search("产品的要求")) == 6


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(min_size=1, max_size=30))
def test_any_query_is_safe(lib: Library, query: str) -> None:
    """FTS5 syntax in user text ("AND", "*", quotes, NEAR, colons) never leaks through."""
    try:
        hits = lib.search(query)
    except LibraryError as exc:
        assert "give some text" in str(exc)
    else:
        assert isinstance(hits, list)


def test_batch_resolver(lib: Library, docs: dict[str, Path], tmp_path: Path) -> None:
    from stdcompare.library import library_resolver

    resolver = library_resolver(lib)
    assert resolver(docs["eu"].name, docs["eu"].parent) is None  # a file: the batch reads it
    found = resolver("GB 5749—2006", tmp_path)
    assert isinstance(found, Document) and found.code == "GB 5749—2006"
    with pytest.raises(NoSuchDocument, match="near matches"):
        resolver("GB 5794", tmp_path)


def test_add_a_saved_document_json(tmp_path: Path, docs: dict[str, Path]) -> None:
    doc = load(docs["gost"])
    saved = doc.save(tmp_path / "gost.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a document"}', encoding="utf-8")
    with Library(tmp_path / "l.sqlite") as lib:
        assert lib.add(saved).added
        assert not lib.add(docs["gost"]).added  # same content hash as the PDF/text it came from
        assert lib.document("ГОСТ 32511") == doc
        with pytest.raises(stdcompare_errors.DocumentError, match="not a stdcompare Document JSON"):
            lib.add(bad)


def test_lookup_keys_are_recomputed_when_folding_changes(lib: Library) -> None:
    path = lib.path
    lib.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE documents SET code_key = 'stale'")
    conn.execute("UPDATE info SET value = 'old' WHERE key = 'code_key_version'")
    conn.commit()
    conn.close()
    with Library(path) as again:
        assert [e.code for e in again.editions("GB 5749")] == ["GB 5749—2006", "GB 5749—2022"]
