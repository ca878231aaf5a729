"""Atomic writes of the batch's outputs, readable like any file the user creates.

:func:`stdcompare._io.atomic_path` writes through a ``mkstemp`` file, which is private
(mode 0600); reports in a shared output folder must follow the user's umask instead.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from .._io import atomic_path


@functools.lru_cache(maxsize=1)
def _file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes(path: str | Path, data: bytes) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
        os.chmod(tmp, _file_mode())
    return Path(path)


def write_text(path: str | Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))
