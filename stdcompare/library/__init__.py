"""The standards library: ingested standards kept in SQLite, looked up by code.

>>> from stdcompare.library import Library, resolve
>>> with Library("lib.sqlite") as lib:                      # doctest: +SKIP
...     lib.add("GB5749-2006.pdf"); lib.add("GB5749-2022.pdf")
...     [e.code for e in lib.editions("GB 5749")]
['GB 5749—2006', 'GB 5749—2022']
>>> resolve("GB 5749", library="lib.sqlite")                # doctest: +SKIP
Document(... GB 5749—2022 ...)
"""

from __future__ import annotations

from .codes import CodeParts, code_key, split_code
from .resolve import NoSuchDocument, library_resolver, resolve, resolve_pair
from .store import (
    AddResult,
    AmbiguousSpec,
    Entry,
    Hit,
    Library,
    LibraryError,
    NotInLibrary,
    default_library_path,
)

__all__ = [
    "AddResult",
    "AmbiguousSpec",
    "CodeParts",
    "Entry",
    "Hit",
    "Library",
    "LibraryError",
    "NoSuchDocument",
    "NotInLibrary",
    "code_key",
    "default_library_path",
    "library_resolver",
    "resolve",
    "resolve_pair",
    "split_code",
]
