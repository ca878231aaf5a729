"""The notebooks in notebooks/ run top to bottom on the bundled corpora (nbclient)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    names = {p.stem for p in NOTEBOOKS}
    assert {"01-quickstart", "02-exporter-gap-analysis", "03-library-tracking-batch"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    from jupyter_client.kernelspec import KernelSpecManager

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs"), f"{path.name}: commit notebooks without outputs"
    # The kernel runs this interpreter (the project's venv) and writes only under tmp_path:
    # temp files, the embedding cache, the default library location, Jupyter's runtime files.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setenv("STDCOMPARE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("STDCOMPARE_LIBRARY", str(tmp_path / "default-library.sqlite"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    ksm = KernelSpecManager()
    spec = ksm.get_kernel_spec("python3")
    spec.argv[0] = sys.executable
    ksm.get_kernel_spec = lambda _name: spec  # type: ignore[method-assign]
    before = set(os.listdir(path.parent))
    client = nbclient.NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        kernel_manager_class=_manager_with(ksm),
    )
    client.execute()
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors
    assert set(os.listdir(path.parent)) == before, "the notebook wrote into notebooks/"
    assert not (tmp_path / "default-library.sqlite").exists()


def _manager_with(ksm: object) -> type:
    from jupyter_client.manager import KernelManager

    class _Manager(KernelManager):
        def __init__(self, **kwargs: object) -> None:
            super().__init__(**kwargs)
            self.kernel_spec_manager = ksm

    return _Manager
