"""Reports: comparison JSON (schema stdcompare/comparison-v1) and the HTML gap report."""

from __future__ import annotations

from typing import Any

__all__ = ["render_html", "render_summary_html"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import html

        return getattr(html, name)
    raise AttributeError(name)
