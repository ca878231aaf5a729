"""Atomic writes keep normal permissions; cache locations given as folders or files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from stdcompare._io import atomic_path, atomic_write_text
from stdcompare.api import cache_file


def test_atomic_write_uses_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = atomic_write_text(tmp_path / "r.html", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_cache_file_accepts_folders_and_files(tmp_path: Path) -> None:
    assert cache_file(True) is None
    assert cache_file(tmp_path) == tmp_path / "embeddings.sqlite"
    assert cache_file(str(tmp_path / "c.sqlite")) == tmp_path / "c.sqlite"
