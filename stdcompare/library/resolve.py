"""Turn what a user typed — a file path or a standard's code — into a Document."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DocumentError
from ..model import Document
from .store import Library, LibraryError

if TYPE_CHECKING:
    from ..ingest import BadPages

LibraryLike = Library | str | Path | None
_PATH_SUFFIXES = (".pdf", ".txt", ".md", ".text", ".json")


class NoSuchDocument(DocumentError, LookupError):
    """Neither a file nor a code stored in the library (``near`` lists close stored codes)."""

    def __init__(self, spec: str, library: Path, near: tuple[str, ...]) -> None:
        self.spec = spec
        self.near = near
        problem = f"no such file, and no standard with this code in the library {library}"
        if near:
            problem += f" (near matches: {', '.join(near)})"
        DocumentError.__init__(
            self,
            spec,
            problem,
            "check the path, or add the standard with: stdcompare library add FILE",
        )


def _open(library: LibraryLike) -> tuple[Library, bool]:
    if isinstance(library, Library):
        return library, False
    return Library(library, create=False), True


def resolve(
    spec: str | Path | Document,
    library: LibraryLike = None,
    *,
    bad_pages: BadPages = "error",
    ocr: bool = False,
) -> Document:
    """A Document from a path or a library code.

    ``spec`` is a :class:`Document` (returned as is), an existing file (a PDF or text file
    read with :func:`stdcompare.load`, or a Document JSON written by ``Document.save``), or
    the code of a standard stored in the library: ``GB 5749`` gives the newest stored
    edition, ``GB 5749—2022`` / ``GB 5749-2022`` that edition. ``library`` is a
    :class:`Library`, a library file, or None for the default library. Raises
    :class:`NoSuchDocument` (a :class:`~stdcompare.errors.DocumentError` and a
    :class:`LookupError`) listing near matches when nothing fits. ``ocr`` reads scanned
    pages of a file with Tesseract (see :func:`stdcompare.load`).
    """
    if isinstance(spec, Document):
        return spec
    path = Path(spec)
    if path.is_file():
        if path.suffix.lower() == ".json":
            return _open_json(path)
        from ..ingest import load

        return load(path, bad_pages=bad_pages, ocr=ocr)
    text = str(spec).strip()
    lib, owned = _open(library)
    try:
        found = lib.find(text) if text else []
        if found:
            return lib.document(found[-1])
        raise NoSuchDocument(text or str(spec), lib.path, tuple(lib.near(text)) if text else ())
    finally:
        if owned:
            lib.close()


def resolve_pair(
    old: str | Path | Document,
    new: str | Path | Document | None = None,
    library: LibraryLike = None,
    *,
    bad_pages: BadPages = "error",
) -> tuple[Document, Document]:
    """Two editions to track: ``(old, new)`` resolved one by one, or — with ``new`` None —
    the two newest stored editions of the code ``old`` names (with an edition in ``old``:
    that edition and the one stored before it)."""
    if new is not None:
        return resolve(old, library, bad_pages=bad_pages), resolve(
            new, library, bad_pages=bad_pages
        )
    if isinstance(old, Document) or Path(old).is_file():
        raise LibraryError(
            "give two editions to track: OLD and NEW (files or codes), or one code that has "
            "two editions in the library"
        )
    lib, owned = _open(library)
    try:
        spec = str(old).strip()
        editions = lib.editions(spec)
        if not editions:
            raise NoSuchDocument(spec, lib.path, tuple(lib.near(spec)))
        named = lib.find(spec)
        newest = named[-1] if named else editions[-1]
        older = [e for e in editions if e.sort_key < newest.sort_key and e.id != newest.id]
        if not older:
            have = ", ".join(e.code for e in editions)
            raise LibraryError(
                f"{spec!r}: the library {lib.path} holds only one edition before or at it "
                f"({have}); add the other edition with: stdcompare library add FILE"
            )
        return lib.document(older[-1]), lib.document(newest)
    finally:
        if owned:
            lib.close()


def library_resolver(library: LibraryLike = None) -> Callable[[str, Path], Document | None]:
    """A resolver for :func:`stdcompare.batch.run_batch` (``resolver=``): a manifest value
    that is not a file (relative to the manifest's folder) is looked up as a library code,
    so a manifest can name ``GB 5749`` or ``GB 5749—2006`` instead of a PDF."""

    def resolver(value: str, base_dir: Path) -> Document | None:
        path = Path(value).expanduser()
        if not path.is_absolute():
            path = base_dir / path
        if path.is_file():
            return None
        lib, owned = _open(library)
        try:
            found = lib.find(value)
            if found:
                return lib.document(found[-1])
            raise NoSuchDocument(value, lib.path, tuple(lib.near(value)))
        finally:
            if owned:
                lib.close()

    return resolver


def _open_json(path: Path) -> Document:
    from ..errors import SchemaError

    try:
        return Document.open(path)
    except (SchemaError, UnicodeDecodeError) as exc:
        raise DocumentError(
            path, f"not a stdcompare Document JSON ({exc})", "give a PDF, a text file or a code"
        ) from exc


__all__ = ["NoSuchDocument", "library_resolver", "resolve", "resolve_pair"]
