"""PDFium is not thread-safe: ingestion from several threads at once must not crash.

Regression test: Dask workers run tasks in threads; two threads reading PDFs at the same time
crashed the process with a segmentation fault inside pypdfium2.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import stdcompare


def test_concurrent_loads_in_threads(make_pdf: Callable[..., Path]) -> None:
    pages = ["1 范围\n本文件规定了饮用水中铅的限量。\n4 要求\n4.1 铅不得超过0.01 mg/L。"] * 6
    pdfs = [make_pdf(pages, f"d{k}.pdf") for k in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        docs = list(pool.map(lambda p: stdcompare.load(p), pdfs * 3))
    assert all(d.pages == 6 and d.language == "zh" for d in docs)
    assert len({tuple((c.id, c.text) for c in d.clauses) for d in docs}) == 1
