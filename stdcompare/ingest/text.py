"""Joining wrapped lines: no space around CJK, end-of-line hyphens undone where they are soft.

A hyphen at the end of a line is either a soft hyphen of the typesetter (``contami-`` /
``nant``) or a real one that happens to fall at the line end (``non-`` / ``centrifugal``).
:class:`Vocabulary` tells them apart with the document's own words: the hyphenated form
seen inside a line keeps its hyphen, the joined form seen inside a line loses it; otherwise
a few productive prefixes keep their hyphen and everything else is joined.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_HYPHEN_END = re.compile(r"((?:[^\W\d_]+-)*[^\W\d_]+)-$")
_NEXT_WORD = re.compile(r"^([^\W\d_]+)")
_CJK_OR_FW = re.compile(r"[\u2e80-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_KEEP_PREFIXES = frozenset(
    [
        "non",
        "anti",
        "co",
        "counter",
        "cross",
        "self",
        "semi",
        "multi",
        "sub",
        "inter",
        "intra",
        "post",
        "pre",
        "pseudo",
        "ultra",
        "well",
        "ready",
        "low",
        "high",
        "long",
        "short",
        "free",
        "full",
        "half",
        "mid",
        "off",
        "on",
        "over",
        "under",
    ]
)


class Vocabulary:
    """Words that occur inside lines of a document (lower-cased)."""

    def __init__(self, lines: Iterable[str] = ()) -> None:
        self.words: set[str] = set()
        for ln in lines:
            self.add(ln)

    def add(self, line: str) -> None:
        words = _WORD.findall(line.lower())
        if words and line.rstrip().endswith("-"):
            words = words[:-1]  # the last word is cut by the line end
        self.words.update(words)

    def keeps_hyphen(self, head: str, tail: str) -> bool:
        """Whether ``head-`` at a line end and ``tail`` on the next line form ``head-tail``.

        ``head`` is the whole token before the hyphen (it may hold hyphens itself)."""
        if "-" in head:
            return True  # part of a hyphenated compound already: "ready-to-" / "eat"
        h, t = head.lower(), tail.lower()
        if len(h) <= 2:
            return True
        if f"{h}-{t}" in self.words:
            return True
        if h + t in self.words:
            return False
        return h in _KEEP_PREFIXES


_EMPTY = Vocabulary()


def join_lines(lines: Sequence[str], vocab: Vocabulary | None = None) -> str:
    """Join wrapped lines into one paragraph."""
    vocab = vocab or _EMPTY
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        last, first = out[-1], line[0]
        m = _HYPHEN_END.search(out[-64:]) if last == "-" else None
        if m and len(out) >= 2 and out[-2] != " ":
            nxt = _NEXT_WORD.match(line)
            if (
                nxt
                and nxt.group(1)[0].islower()
                and not vocab.keeps_hyphen(m.group(1), nxt.group(1))
            ):
                out = out[:-1] + line
            else:
                out += line  # a real hyphen (or a number after it): keep it, no space
        elif _CJK_OR_FW.match(last) or _CJK_OR_FW.match(first):
            out += line
        else:
            out += " " + line
    return out
