"""Key-indicator extraction: parameter, product, comparator, value, unit, basis, test method.

Modules: ``numbers`` (printed numbers), ``units`` (printed units through pint),
``references`` (numbers that are never limits; test-method codes), ``quantities`` (the
comparator/number/range grammar), ``names`` (parameter, product, basis), ``parse``
(sentences), ``rows`` (table rows), ``context`` (headings, captions, notes), ``extract``
(whole documents), ``render`` (indicators written out in zh/en/ru), ``glossary``.
"""

from __future__ import annotations

from .context import Context
from .extract import extract
from .glossary import Glossary, default_glossary
from .parse import find_quantities, parse_row, parse_text
from .render import render, render_limit

__all__ = [
    "Context",
    "Glossary",
    "default_glossary",
    "extract",
    "find_quantities",
    "parse_row",
    "parse_text",
    "render",
    "render_limit",
]
