"""Exceptions raised by stdcompare.

Every error the library raises on purpose derives from :class:`StdCompareError`, and is also
an instance of the matching builtin (``FileNotFoundError``, ``ValueError``, ``KeyError``,
``ImportError``) so callers can catch either. Messages say what went wrong *and what to do*.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class StdCompareError(Exception):
    """Base class of all stdcompare errors."""


# --- input documents -------------------------------------------------------------------------


class DocumentError(StdCompareError):
    """A document cannot be read or is unusable for comparison.

    ``path`` names the file; ``str(err)`` is a one-line message that starts with it.
    """

    def __init__(self, path: str | Path, problem: str, hint: str = "") -> None:
        self.path = str(path)
        self.problem = problem
        self.hint = hint
        message = f"{self.path}: {problem}"
        if hint:
            message += f" — {hint}"
        super().__init__(message)


class DocumentNotFound(DocumentError, FileNotFoundError):
    """The input path does not exist or is not a file."""

    def __init__(self, path: str | Path) -> None:
        DocumentError.__init__(self, path, "file not found", "check the path")


class UnsupportedFormat(DocumentError, ValueError):
    """The file is neither a PDF nor a plain-text standard."""


class CorruptPDF(DocumentError, ValueError):
    """The PDF structure cannot be parsed."""


class EncryptedPDF(DocumentError, PermissionError):
    """The PDF is password protected."""


class EmptyDocument(DocumentError, ValueError):
    """The document has no pages or no text at all."""


class TextLayerError(DocumentError, ValueError):
    """Pages are scanned images or carry a broken font layer, so their text cannot be trusted.

    ``pages`` lists the affected 1-based page numbers.
    """

    def __init__(
        self, path: str | Path, problem: str, pages: Iterable[int], hint: str = ""
    ) -> None:
        self.pages = tuple(pages)
        super().__init__(path, problem, hint)


# --- configuration and choices ------------------------------------------------------------------


class UnknownChoice(StdCompareError, KeyError):
    """A name given by the user is not one of the valid choices."""

    def __init__(self, what: str, name: str, choices: Iterable[str]) -> None:
        self.what = what
        self.name = name
        self.choices = tuple(choices)
        super().__init__(f"unknown {what} {name!r}; choose one of: {', '.join(self.choices)}")

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return str(self.args[0])


class UnknownEmbedder(UnknownChoice):
    """The embedder name is not ``use``, ``e5`` or ``st:NAME_OR_PATH``."""

    def __init__(self, name: str, choices: Iterable[str]) -> None:
        super().__init__("embedder", name, choices)


class MissingDependency(StdCompareError, ImportError):
    """An optional dependency is not installed."""

    def __init__(self, package: str, feature: str, install: str) -> None:
        self.package = package
        super().__init__(f"{feature} needs the '{package}' package; install it with: {install}")


class OCRUnavailable(MissingDependency):
    """OCR of scanned pages was requested but Tesseract or its language data is missing.

    ``package`` is the Debian package that provides what is missing.
    """

    def __init__(self, what: str, package: str, install: str) -> None:
        self.package = package
        StdCompareError.__init__(
            self,
            f"OCR of scanned pages needs {what}; install it with: {install} "
            "(or, without OCR, pass --skip-bad-pages / bad_pages='skip' to use only the "
            "readable pages)",
        )


class OCRFailed(DocumentError, RuntimeError):
    """Tesseract ran on a page but gave no result (it crashed or timed out)."""


class ModelUnavailable(StdCompareError, OSError):
    """An embedding model cannot be loaded (for example: not on disk and no network)."""


class ManifestError(StdCompareError, ValueError):
    """A batch manifest is malformed. ``line`` is the 1-based line number where known."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class InvalidLEI(StdCompareError, ValueError):
    """A Legal Entity Identifier fails the ISO 17442 format or check digits."""


class ConversionError(StdCompareError, ValueError):
    """A quantity cannot be converted to the requested unit."""


class SchemaError(StdCompareError, ValueError):
    """A JSON document does not follow the expected stdcompare schema."""


__all__ = [
    "ConversionError",
    "CorruptPDF",
    "DocumentError",
    "DocumentNotFound",
    "EmptyDocument",
    "EncryptedPDF",
    "InvalidLEI",
    "ManifestError",
    "MissingDependency",
    "ModelUnavailable",
    "OCRFailed",
    "OCRUnavailable",
    "SchemaError",
    "StdCompareError",
    "TextLayerError",
    "UnknownChoice",
    "UnknownEmbedder",
    "UnsupportedFormat",
]
