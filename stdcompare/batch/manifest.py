"""Batch manifests: which pairs to compare, read from CSV or YAML with line numbers.

A manifest lists one pair per row (CSV) or per item (YAML) with at least ``name``, ``a`` and
``b``, plus optional per-pair options (:data:`OPTION_COLUMNS`). Every problem is reported as a
:class:`~stdcompare.errors.ManifestError` naming the file and the 1-based line, before any
work starts.

CSV (UTF-8, with or without BOM; ``,``, ``;`` or tab separated; rows whose first cell starts
with ``#`` are comments)::

    name,a,b,embedder,skip_bad_pages
    water,gb/gb5749-2022.pdf,eu/eu-2020-2184.pdf,,
    diesel,gb/gb19147-2016.pdf,eaeu/tr-cu-013-2011.pdf,e5,yes

YAML (a list of pairs, or a mapping with ``pairs`` and optional ``defaults``)::

    defaults: {embedder: use}
    pairs:
      - {name: water, a: gb/gb5749-2022.pdf, b: eu/eu-2020-2184.pdf}
      - name: nitrate
        a: gb/gb5749-2022.pdf
        b: eu/eu-2020-2184.pdf
        conversions: [nitrate-N:NO3]
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ManifestError

REQUIRED_COLUMNS = ("name", "a", "b")
OPTION_COLUMNS = (
    "embedder",
    "skip_bad_pages",
    "ocr",
    "a_language",
    "b_language",
    "conversions",
    "notes",
)
COLUMNS = REQUIRED_COLUMNS + OPTION_COLUMNS
LANGUAGES = ("zh", "en", "ru")
EMBEDDER_CHOICES = ("use", "e5", "st:NAME_OR_PATH")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
YAML_SUFFIXES = (".yaml", ".yml", ".json")
MAX_NAME = 100

_TRUE = frozenset({"true", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "no", "n", "0", "off", ""})
# Characters no file system accepts in a folder name (Windows is the strictest).
_BAD_NAME_CHARS = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)


@dataclass(frozen=True)
class PairSpec:
    """One row of a manifest. Options left as ``None`` take the batch-wide default.

    ``a`` and ``b`` are the values as written (paths, relative to the manifest's folder, or
    whatever :func:`stdcompare.batch.inputs.resolve_input` accepts). ``conversions`` are
    names of shipped conversions or ``(basis_a, basis_b, factor)`` triples whose factor turns
    a value on basis B into basis A, see :func:`stdcompare.compare`.
    """

    name: str
    a: str
    b: str
    line: int = 0
    embedder: str | None = None
    skip_bad_pages: bool | None = None
    ocr: bool | None = None
    a_language: str | None = None
    b_language: str | None = None
    conversions: tuple[str | tuple[str, str, float], ...] | None = None
    notes: str = ""

    def conversions_text(self) -> str:
        """The conversions as a manifest cell: ``nitrate-N:NO3;N/NO3=0.2259``."""
        return ";".join(
            c if isinstance(c, str) else f"{c[0]}/{c[1]}={c[2]!r}" for c in self.conversions or ()
        )


@dataclass(frozen=True)
class Manifest:
    """A parsed manifest: its pairs, and the folder relative paths resolve against."""

    path: Path
    pairs: tuple[PairSpec, ...]
    base_dir: Path = field(default=Path("."))
    format: str = "csv"

    def __len__(self) -> int:
        return len(self.pairs)

    def __iter__(self) -> Any:
        return iter(self.pairs)

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[Mapping[str, Any] | PairSpec], base_dir: str | Path = "."
    ) -> Manifest:
        """Build and validate a manifest from Python data (``line`` is the 1-based position)."""
        label = Path("<pairs>")
        specs: list[PairSpec] = []
        for i, p in enumerate(pairs, start=1):
            if isinstance(p, PairSpec):
                specs.append(p)
                continue
            if not isinstance(p, Mapping):
                raise ManifestError(label, f"pair {i} is not a mapping", i)
            values = {_norm_key(str(k)): (v, i) for k, v in p.items()}
            for key in values:
                if key not in COLUMNS:
                    raise ManifestError(
                        label, f"unknown key {key!r}; valid keys: {', '.join(COLUMNS)}", i
                    )
            specs.append(_spec(label, values, i, {}))
        _check_pairs(label, specs)
        return cls(path=label, pairs=tuple(specs), base_dir=Path(base_dir), format="python")


def read_manifest(path: str | Path) -> Manifest:
    """Parse and validate a CSV or YAML manifest; raise :class:`ManifestError` on any problem."""
    p = Path(path)
    if not p.is_file():
        raise ManifestError(p, "manifest file not found; check the path")
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = p.read_bytes()[: exc.start].count(b"\n") + 1
        raise ManifestError(p, "not UTF-8 text; save the manifest as UTF-8", line) from exc
    except OSError as exc:
        raise ManifestError(p, f"cannot read the manifest ({exc.strerror or exc})") from exc
    suffix = p.suffix.lower()
    if suffix in YAML_SUFFIXES:
        specs, fmt = _parse_yaml(p, text), "yaml"
    elif suffix in CSV_SUFFIXES:
        specs, fmt = _parse_csv(p, text), "csv"
    else:
        raise ManifestError(
            p, f"unknown manifest type {p.suffix or '(no suffix)'!r}; name it .csv, .tsv or .yaml"
        )
    if not specs:
        raise ManifestError(p, "the manifest lists no pairs; add rows with name, a and b")
    _check_pairs(p, specs)
    return Manifest(path=p, pairs=tuple(specs), base_dir=p.resolve().parent, format=fmt)


# --- CSV ---------------------------------------------------------------------------------------


def _parse_csv(path: Path, text: str) -> list[PairSpec]:
    if not text.strip():
        raise ManifestError(path, "the manifest is empty; the first row must name the columns", 1)
    delimiter = _delimiter(path, text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_line = 0
    specs: list[PairSpec] = []
    last = 0
    while True:
        start = last + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ManifestError(path, f"not valid CSV ({exc})", reader.line_num) from exc
        last = reader.line_num
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        if header is None:
            header, header_line = _header(path, row, start), start
            continue
        if len(row) > len(header):
            raise ManifestError(
                path,
                f"this row has {len(row)} values but the header (line {header_line}) names "
                f"{len(header)} columns; quote values that contain {delimiter!r}",
                start,
            )
        values = {h: (row[i] if i < len(row) else "", start) for i, h in enumerate(header)}
        specs.append(_spec(path, values, start, {}))
    if header is None:
        raise ManifestError(path, "the manifest is empty; the first row must name the columns", 1)
    return specs


def _delimiter(path: Path, text: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "," in line:
            return ","
        if ";" in line:
            return ";"
        if "\t" in line:
            return "\t"
        return ","
    return ","


def _header(path: Path, row: list[str], line: int) -> list[str]:
    names = [_norm_key(c) for c in row]
    seen: set[str] = set()
    for n in names:
        if not n:
            raise ManifestError(path, "the header has an empty column name", line)
        if n in seen:
            raise ManifestError(path, f"column {n!r} appears twice in the header", line)
        if n not in COLUMNS:
            raise ManifestError(
                path, f"unknown column {n!r}; valid columns: {', '.join(COLUMNS)}", line
            )
        seen.add(n)
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        raise ManifestError(
            path,
            f"the header lacks the column(s) {', '.join(missing)}; the first row must name "
            f"at least: {', '.join(REQUIRED_COLUMNS)}",
            line,
        )
    return names


def _norm_key(key: str) -> str:
    return re.sub(r"[\s\-]+", "_", key.strip().lower())


# --- YAML --------------------------------------------------------------------------------------


def _parse_yaml(path: Path, text: str) -> list[PairSpec]:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ManifestError(path, f"not valid YAML ({exc.problem or exc})", line) from exc
    except yaml.YAMLError as exc:
        raise ManifestError(path, f"not valid YAML ({exc})") from exc
    if root is None:
        raise ManifestError(path, "the manifest is empty; list pairs with name, a and b", 1)
    defaults: dict[str, tuple[Any, int]] = {}
    if isinstance(root, yaml.MappingNode):
        top = _yaml_mapping(path, root)
        for key in top:
            if key not in ("pairs", "defaults"):
                raise ManifestError(
                    path, f"unknown top-level key {key!r}; use 'pairs' and 'defaults'", top[key][1]
                )
        if "pairs" not in top:
            raise ManifestError(path, "no 'pairs' list; list pairs under 'pairs:'", _line(root))
        if "defaults" in top:
            dnode = top["defaults"][0]
            if not isinstance(dnode, yaml.MappingNode):
                raise ManifestError(path, "'defaults' must be a mapping of options", _line(dnode))
            defaults = {k: (v, ln) for k, (v, ln) in _yaml_mapping(path, dnode).items()}
            for k, (_v, ln) in defaults.items():
                if k not in OPTION_COLUMNS:
                    raise ManifestError(
                        path,
                        f"{k!r} cannot be a default; defaults take: {', '.join(OPTION_COLUMNS)}",
                        ln,
                    )
        root = top["pairs"][0]
    if not isinstance(root, yaml.SequenceNode):
        raise ManifestError(path, "expected a list of pairs (each with name, a and b)", _line(root))
    specs = []
    for item in root.value:
        if not isinstance(item, yaml.MappingNode):
            raise ManifestError(path, "each pair must be a mapping with name, a and b", _line(item))
        values = _yaml_mapping(path, item)
        for k, (_v, ln) in values.items():
            if k not in COLUMNS:
                raise ManifestError(
                    path, f"unknown key {k!r}; valid keys: {', '.join(COLUMNS)}", ln
                )
        specs.append(_spec(path, values, _line(item), defaults))
    return specs


def _line(node: Any) -> int:
    return int(node.start_mark.line) + 1


def _yaml_mapping(path: Path, node: Any) -> dict[str, tuple[Any, int]]:
    import yaml

    out: dict[str, tuple[Any, int]] = {}
    for knode, vnode in node.value:
        if not isinstance(knode, yaml.ScalarNode):
            raise ManifestError(path, "keys must be plain names", _line(knode))
        key = _norm_key(str(knode.value))
        if key in out:
            raise ManifestError(path, f"key {key!r} appears twice", _line(knode))
        out[key] = (vnode, _line(knode))
    return out


# --- values ------------------------------------------------------------------------------------


def _spec(
    path: Path,
    values: Mapping[str, tuple[Any, int]],
    line: int,
    defaults: Mapping[str, tuple[Any, int]],
) -> PairSpec:
    merged = {**defaults, **values}
    for col in REQUIRED_COLUMNS:
        if col not in merged:
            raise ManifestError(path, f"this pair has no {col!r}", line)
    fields: dict[str, Any] = {"line": line}
    for col in REQUIRED_COLUMNS:
        raw, ln = merged[col]
        text = _text(path, raw, ln, col)
        if not text:
            raise ManifestError(path, f"{col!r} is empty", ln)
        fields[col] = text
    _check_name(path, fields["name"], merged["name"][1])
    for col in OPTION_COLUMNS:
        if col not in merged:
            continue
        raw, ln = merged[col]
        fields[col] = _option(path, col, raw, ln)
    return PairSpec(**{k: v for k, v in fields.items() if v is not None})


def _text(path: Path, raw: Any, line: int, col: str) -> str:
    """A scalar as written: YAML scalars keep their source text (``001`` stays ``001``)."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, int | float | Path):
        return str(raw)
    import yaml

    if isinstance(raw, yaml.ScalarNode):
        if raw.tag == "tag:yaml.org,2002:null" and raw.value in ("", "~", "null", "Null", "NULL"):
            return ""
        return str(raw.value).strip()
    raise ManifestError(path, f"{col!r} must be a single value, not a list or mapping", line)


def _option(path: Path, col: str, raw: Any, line: int) -> Any:
    if col == "conversions":
        return _conversions(path, raw, line)
    text = _text(path, raw, line, col)
    if col == "notes":
        return text
    if not text:
        return None
    if col == "embedder":
        low = text.lower()
        if low in ("use", "e5"):
            return low
        if low.startswith("st:") and len(text) > 3:
            return text
        raise ManifestError(
            path,
            f"unknown embedder {text!r}; choose one of: {', '.join(EMBEDDER_CHOICES)}",
            line,
        )
    if col in ("skip_bad_pages", "ocr"):
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ManifestError(path, f"{col} must be yes or no, not {text!r}", line)
    if col in ("a_language", "b_language"):
        low = text.lower()
        if low not in LANGUAGES:
            raise ManifestError(path, f"{col} {text!r} is not one of: {', '.join(LANGUAGES)}", line)
        return low
    raise AssertionError(col)  # pragma: no cover - COLUMNS and this function agree


_CONVERSION = re.compile(r"^\s*([^\s/=;]+)\s*/\s*([^\s/=;]+)\s*=\s*(\S+)\s*$")

Conversion = str | tuple[str, str, float]


def _conversions(path: Path, raw: Any, line: int) -> tuple[Conversion, ...] | None:
    """Stated basis conversions: names shipped with stdcompare (``nitrate-N:NO3``) or
    ``BASIS_A/BASIS_B=FACTOR`` — a value of B on BASIS_B times FACTOR is the value on
    BASIS_A (``N/NO3=0.2259``). CSV: separated by ``;``; YAML: a list or a mapping."""
    import yaml

    items: list[tuple[str, int]] = []  # (text, line)
    if isinstance(raw, yaml.MappingNode):
        for knode, vnode in raw.value:
            value = _text(path, vnode, _line(vnode), "conversions")
            items.append((f"{knode.value}={value}", _line(knode)))
    elif isinstance(raw, yaml.SequenceNode):
        items.extend((_text(path, n, _line(n), "conversions"), _line(n)) for n in raw.value)
    elif isinstance(raw, Mapping):  # Python data: {("n", "no3"): f} or {"n/no3": f}
        for k, v in raw.items():
            pair = "/".join(map(str, k)) if isinstance(k, tuple) else str(k)
            items.append((f"{pair}={v}", line))
    elif isinstance(raw, list | tuple):
        items.extend((str(x), line) for x in raw)
    else:
        text = _text(path, raw, line, "conversions")
        items.extend((part, line) for part in text.split(";") if part.strip())
    if not items:
        return None
    out: list[Conversion] = []
    for item, ln in items:
        text = item.strip()
        if "=" not in text:
            out.append(_named_conversion(path, text, ln))
            continue
        m = _CONVERSION.match(text)
        factor = _float(m.group(3)) if m else None
        if m is None or factor is None or not (factor > 0 and math.isfinite(factor)):
            raise ManifestError(
                path,
                f"conversion {text!r} must be a shipped name (e.g. nitrate-N:NO3) or read "
                "BASIS_A/BASIS_B=FACTOR with a positive factor, e.g. N/NO3=0.2259 (several "
                "separated by ';')",
                ln,
            )
        out.append((m.group(1), m.group(2), factor))
    return tuple(out)


def _named_conversion(path: Path, name: str, line: int) -> str:
    from ..gaps.conversions import named_conversions

    named = named_conversions()
    for known in named:
        if known.lower() == name.lower():
            return known
    raise ManifestError(
        path,
        f"unknown basis conversion {name!r}; shipped conversions: {', '.join(named)}, or "
        "write BASIS_A/BASIS_B=FACTOR",
        line,
    )


def _float(text: str) -> float | None:
    t = text.strip()
    if "," in t and "." not in t:
        t = t.replace(",", ".")  # decimal comma
    try:
        return float(t)
    except ValueError:
        return None


def _check_name(path: Path, name: str, line: int) -> None:
    problem = ""
    if name in (".", ".."):
        problem = "it may not be '.' or '..'"
    elif _BAD_NAME_CHARS.search(name):
        problem = 'it may not contain / \\ : * ? " < > | or control characters'
    elif name.startswith(".") or name.endswith((".", " ")):
        problem = "it may not start with a dot or end with a dot or a space"
    elif name.split(".")[0].lower() in _RESERVED:
        problem = "it is a reserved device name on Windows"
    elif len(name) > MAX_NAME:
        problem = f"it is longer than {MAX_NAME} characters"
    if problem:
        raise ManifestError(
            path,
            f"name {name!r} cannot be a folder name: {problem}; use letters, digits, '-', '_'",
            line,
        )


def _check_pairs(path: Path, specs: list[PairSpec]) -> None:
    seen: dict[str, PairSpec] = {}
    for s in specs:
        key = s.name.casefold()
        if key in seen:
            first = seen[key]
            same = "" if first.name == s.name else f" (as {first.name!r}; names ignore case)"
            raise ManifestError(
                path,
                f"name {s.name!r} is already used on line {first.line}{same}; each pair needs its "
                "own name (it names the output folder)",
                s.line,
            )
        seen[key] = s
