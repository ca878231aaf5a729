"""Imported once by the process that forks local batch workers (``forkserver``).

Every worker would otherwise import the pipeline and compile its large regular expressions
on its first pair — several CPU seconds each. Done here once, the workers inherit it all
when they are forked. Nothing here may fail the server, and nothing starts a thread: the
embedding model is left to load lazily in each worker.
"""

from __future__ import annotations

import contextlib


def warm() -> None:
    from .. import api  # noqa: F401  (the pipeline: ingest, indicators, alignment, gaps)
    from ..indicators import extract
    from ..model import Clause, Document, Table, TableRow
    from ..report import html, tables  # noqa: F401

    for language, text in (
        ("zh", "铅的含量不得超过0.01 mg/L，pH 6.5～8.5，硝酸盐（以N计）≤10 mg/L。"),
        ("en", "Lead shall not exceed 10 µg/l; pH ≥ 6.5 and ≤ 9.5; nitrate 50 mg/l."),
        ("ru", "Массовая доля серы не более 10 мг/кг; свинец — не более 0,01 мг/дм³."),
    ):
        doc = Document(
            source=f"warmup.{language}",
            language=language,
            pages=1,
            clauses=(Clause(id="1", heading="", text=text, page=1),),
            tables=(
                Table(
                    id="1",
                    page=1,
                    header=("项目 Parameter Показатель", "指标 Limit Норма"),
                    rows=(TableRow(cells=("铅 Lead свинец, mg/kg", "≤0.5"), page=1),),
                ),
            ),
        )
        extract(doc)


with contextlib.suppress(Exception):
    warm()
