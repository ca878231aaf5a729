"""Batch manifests: CSV and YAML parsing, validation, line numbers in every error."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stdcompare.batch import Manifest, PairSpec, read_manifest, resolve_input
from stdcompare.errors import ManifestError, StdCompareError


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def error(tmp_path: Path, name: str, text: str | bytes) -> ManifestError:
    with pytest.raises(ManifestError) as info:
        read_manifest(write(tmp_path, name, text))
    err = info.value
    assert isinstance(err, StdCompareError) and isinstance(err, ValueError)
    assert str(err).startswith(str(tmp_path / name))
    return err


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_with_options_comments_and_bom(tmp_path: Path) -> None:
    text = (
        "\ufeff# pairs for the 2024 review\n"
        "Name,A,B,Embedder,Skip bad pages,a_language,conversions,notes\n"
        "water,gb/gb5749.pdf,eu/2020-2184.pdf,,,,,first pair\n"
        "# a comment row, with commas\n"
        "\n"
        'diesel,gb/gb19147.pdf,/abs/tr013.pdf,E5,yes,zh,"nitrate-N:NO3; N/NO3=0,2259","multi\nline note"\n'
        "st,a.pdf,b.pdf,st:/models/my-model,no,,,\n"
    )
    m = read_manifest(write(tmp_path, "m.csv", text.encode("utf-8")))
    assert m.format == "csv" and len(m) == 3
    assert m.base_dir == tmp_path.resolve()
    water, diesel, stm = m.pairs
    assert (water.name, water.a, water.b, water.line, water.notes) == (
        "water",
        "gb/gb5749.pdf",
        "eu/2020-2184.pdf",
        3,
        "first pair",
    )
    assert water.embedder is None and water.skip_bad_pages is None and water.conversions is None
    assert diesel.line == 6
    assert diesel.embedder == "e5" and diesel.skip_bad_pages is True and diesel.a_language == "zh"
    assert diesel.conversions == ("nitrate-N:NO3", ("N", "NO3", 0.2259))
    assert diesel.conversions_text() == "nitrate-N:NO3;N/NO3=0.2259"
    assert diesel.notes == "multi\nline note"
    assert stm.line == 8 and stm.embedder == "st:/models/my-model" and stm.skip_bad_pages is False


def test_csv_semicolon_and_tab_separated(tmp_path: Path) -> None:
    m = read_manifest(write(tmp_path, "m.csv", "name;a;b\nx;a.pdf;b.pdf\n"))
    assert (m.pairs[0].a, m.pairs[0].b) == ("a.pdf", "b.pdf")
    m = read_manifest(write(tmp_path, "m.tsv", "name\ta\tb\nx\ta, 1.pdf\tb.pdf\n"))
    assert m.pairs[0].a == "a, 1.pdf"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "empty"),
        ("# only a comment\n\n", 1, "empty"),
        ("name,a,b\n", None, "no pairs"),
        ("name,a\nx,a.pdf\n", 1, "lacks the column(s) b"),
        ("name,a,b,colour\nx,a.pdf,b.pdf,red\n", 1, "unknown column 'colour'"),
        ("name,a,b,a\nx,1,2,3\n", 1, "appears twice"),
        ("name,a,,b\nx,1,2,3\n", 1, "empty column name"),
        ("name,a,b\nx,a.pdf,b.pdf\ny,a.pdf,b.pdf,extra\n", 3, "4 values"),
        ("name,a,b\nx,a.pdf,b.pdf\n\nX,c.pdf,d.pdf\n", 4, "already used on line 2"),
        ("name,a,b\nx,,b.pdf\n", 2, "'a' is empty"),
        ("name,a,b\n,a.pdf,b.pdf\n", 2, "'name' is empty"),
        ("name,a,b,embedder\nx,a.pdf,b.pdf,bert\n", 2, "unknown embedder 'bert'"),
        ("name,a,b,skip_bad_pages\nx,a.pdf,b.pdf,maybe\n", 2, "yes or no"),
        ("name,a,b,b_language\nx,a.pdf,b.pdf,fr\n", 2, "b_language 'fr'"),
        ("name,a,b,conversions\nx,a.pdf,b.pdf,N/NO3=-1\n", 2, "positive factor"),
        ("name,a,b,conversions\nx,a.pdf,b.pdf,N/NO3=abc\n", 2, "BASIS_A/BASIS_B=FACTOR"),
        ("name,a,b,conversions\nx,a.pdf,b.pdf,arsenic-magic\n", 2, "unknown basis conversion"),
        ('name,a,b\nx,"a.pdf,b.pdf\n', 2, "CSV"),
    ],
)
def test_csv_errors_name_the_line(tmp_path: Path, text: str, line: int | None, words: str) -> None:
    err = error(tmp_path, "m.csv", text)
    assert err.line == line
    assert words in str(err)
    if line is not None:
        assert str(err).startswith(f"{tmp_path / 'm.csv'}:{line}: ")


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../escape", "may not contain"),
        ("a/b", "may not contain"),
        ("a\\b", "may not contain"),
        ("..", "'.' or '..'"),
        (".", "'.' or '..'"),
        (".hidden", "start with a dot"),
        ("trailing.", "end with a dot"),
        ("CON", "reserved"),
        ("lpt1.txt", "reserved"),
        ("x" * 101, "longer than"),
        ("tab\there", "control"),
    ],
)
def test_unsafe_names_are_rejected(tmp_path: Path, name: str, why: str) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows([["name", "a", "b"], [name, "a.pdf", "b.pdf"]])
    err = error(tmp_path, "m.csv", buf.getvalue())
    assert err.line == 2 and why in str(err)


def test_names_may_be_chinese_russian_or_have_spaces(tmp_path: Path) -> None:
    m = read_manifest(
        write(tmp_path, "m.csv", "name,a,b\n饮用水 vs EU,a.pdf,b.pdf\nдизель-1,c.pdf,d.pdf\n")
    )
    assert [p.name for p in m] == ["饮用水 vs EU", "дизель-1"]


def test_other_file_problems(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="not found"):
        read_manifest(tmp_path / "nope.csv")
    err = error(tmp_path, "m.csv", b"name,a,b\nx,a.pdf,b.pdf\n" + b"y,\xff\xfe,b\n")
    assert err.line == 3 and "UTF-8" in str(err)
    err = error(tmp_path, "m.xlsx", "name,a,b\n")
    assert ".csv" in str(err) and ".yaml" in str(err)


# --- YAML ---------------------------------------------------------------------------------------


def test_yaml_list_and_defaults(tmp_path: Path) -> None:
    text = """\
defaults:
  embedder: e5
  skip_bad_pages: yes
pairs:
  - {name: water, a: gb/gb5749.pdf, b: eu/eu.pdf}
  - name: 001
    a: x.pdf
    b: y.pdf
    embedder: use
    conversions:
      N/NO3: 0.2259
  - name: named
    a: x.pdf
    b: z.pdf
    skip_bad_pages: false
    conversions: [Nitrate-N:NO3, nitrite-N:NO2]
    notes: "<b>not html</b>"
"""
    m = read_manifest(write(tmp_path, "m.yaml", text))
    assert m.format == "yaml"
    water, num, named = m.pairs
    assert (water.line, water.embedder, water.skip_bad_pages) == (5, "e5", True)
    assert (num.name, num.line, num.embedder) == ("001", 6, "use")  # kept as written
    assert num.conversions == (("N", "NO3", 0.2259),)
    assert named.skip_bad_pages is False
    assert named.conversions == ("nitrate-N:NO3", "nitrite-N:NO2")
    assert named.notes == "<b>not html</b>"
    flat = read_manifest(write(tmp_path, "f.yml", "- {name: a, a: 1.pdf, b: 2.pdf}\n"))
    assert flat.pairs[0].a == "1.pdf"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "empty"),
        ("pairs: [\n  {name: a, a: 1, b: 2}\n", 3, "not valid YAML"),
        ("- {name: a, a: 1.pdf}\n", 1, "no 'b'"),
        ("- name: a\n  a: 1.pdf\n  b: 2.pdf\n  colour: red\n", 4, "unknown key 'colour'"),
        ("- name: a\n  a: 1.pdf\n  a: 2.pdf\n  b: 3.pdf\n", 3, "appears twice"),
        (
            "- {name: a, a: 1.pdf, b: 2.pdf}\n- {name: A, a: 1.pdf, b: 3.pdf}\n",
            2,
            "names ignore case",
        ),
        ("- {name: a, a: [1.pdf], b: 2.pdf}\n", 1, "single value"),
        ("- just a string\n", 1, "mapping"),
        ("pairs: {name: a}\n", 1, "list of pairs"),
        ("pears:\n  - {name: a, a: 1, b: 2}\n", 1, "unknown top-level key 'pears'"),
        ("defaults: {name: x}\npairs: []\n", 1, "cannot be a default"),
        ("defaults: {embedder: nope}\npairs:\n  - {name: a, a: 1, b: 2}\n", 1, "unknown embedder"),
        ("- name: a\n  a: 1.pdf\n  b: 2.pdf\n  conversions: {N/NO3: 0}\n", 4, "positive"),
        ("pairs: []\n", None, "no pairs"),
        ("- {name: ../x, a: 1.pdf, b: 2.pdf}\n", 1, "cannot be a folder name"),
    ],
)
def test_yaml_errors_name_the_line(tmp_path: Path, text: str, line: int | None, words: str) -> None:
    err = error(tmp_path, "m.yaml", text)
    assert err.line == line, str(err)
    assert words in str(err)


# --- Python data, input resolution ----------------------------------------------------------------


def test_manifest_from_python_pairs(tmp_path: Path) -> None:
    m = Manifest.from_pairs(
        [
            {"name": "p", "a": tmp_path / "a.pdf", "b": "b.pdf", "skip_bad_pages": True},
            PairSpec("q", "a.pdf", "c.pdf", conversions=(("n", "no3", 0.2),)),
            {"name": "r", "a": "a.pdf", "b": "b.pdf", "conversions": {("N", "NO3"): 0.2259}},
        ],
        base_dir=tmp_path,
    )
    assert [p.name for p in m] == ["p", "q", "r"]
    assert m.pairs[0].a == str(tmp_path / "a.pdf") and m.pairs[0].skip_bad_pages is True
    assert m.pairs[2].conversions == (("N", "NO3", 0.2259),)
    with pytest.raises(ManifestError, match="already used"):
        Manifest.from_pairs([{"name": "p", "a": "1", "b": "2"}, {"name": "P", "a": "1", "b": "2"}])
    with pytest.raises(ManifestError, match=r"<pairs>:2: unknown key 'colour'"):
        Manifest.from_pairs(
            [{"name": "p", "a": "1", "b": "2"}, {"name": "q", "a": "1", "b": "2", "colour": "red"}]
        )


def test_relative_paths_resolve_against_the_manifest_folder(tmp_path: Path) -> None:
    sub = tmp_path / "lists"
    sub.mkdir()
    m = read_manifest(write(sub, "m.csv", "name,a,b\nx,../docs/a.pdf,/abs/b.pdf\n"))
    p = m.pairs[0]
    assert resolve_input(p.a, m.base_dir) == sub.resolve() / "../docs/a.pdf"
    assert resolve_input(p.b, m.base_dir) == Path("/abs/b.pdf")
    assert resolve_input("~/x.pdf", m.base_dir) == Path.home() / "x.pdf"


# --- properties -----------------------------------------------------------------------------------

_name_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


@settings(max_examples=150, deadline=None)
@given(st.text(_name_chars, min_size=1, max_size=40))
def test_any_accepted_name_is_one_folder_inside_the_output(name: str) -> None:
    """Whatever a user writes as a name, it is rejected or stays one level below the output."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        buf = io.StringIO()
        csv.writer(buf).writerows([["name", "a", "b"], [name, "a.pdf", "b.pdf"]])
        (root / "m.csv").write_text(buf.getvalue(), encoding="utf-8")
        try:
            m = read_manifest(root / "m.csv")
        except ManifestError as exc:
            # a first cell starting with '#' is a comment row, so nothing is left
            assert exc.line in (1, 2) or name.strip().startswith("#"), str(exc)
            return
        got = m.pairs[0].name
        assert got == name.strip()
        folder = (root / "pairs" / got).resolve()
        assert folder.parent == (root / "pairs").resolve()
        assert not got.startswith(".")
