"""Reports: the HTML gap report, CSV/XLSX tables, TMX 1.4b; the comparison JSON is
``Comparison.to_json`` (schema stdcompare/comparison-v1)."""

from __future__ import annotations

from typing import Any

_WHERE = {
    "render_html": "html",
    "render_summary_html": "html",
    "exporter_view": "html",
    "write_csv": "tables",
    "write_xlsx": "tables",
    "build_tmx": "tmx",
    "write_tmx": "tmx",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(name)
