"""Key-indicator extraction: parameter, product, comparator, value, unit, basis, test method."""

from __future__ import annotations

from .extract import extract
from .glossary import Glossary, default_glossary
from .parse import Context, find_quantities, parse_row, parse_text

__all__ = [
    "Context",
    "Glossary",
    "default_glossary",
    "extract",
    "find_quantities",
    "parse_row",
    "parse_text",
]
