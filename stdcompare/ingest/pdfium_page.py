"""Low-level page reading with PDFium: glyphs with boxes and fonts, ruling edges, images.

Everything here works on an open ``pypdfium2.PdfDocument`` and returns plain tuples and small
dataclasses, so the result of a page can be sent between processes cheaply. Coordinates are
converted to the top-down system pdfplumber uses (``top`` grows downwards from the top edge
of the visible page), with the page ``/Rotate`` applied.

PDFium is not thread-safe: use one document per process (see :mod:`.pdf`).
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

# A glyph: (text, x0, x1, top, bottom, font index, space before it)
Glyph = tuple[str, float, float, float, float, int, bool]

# An edge of a ruling line or rectangle: (x0, top, x1, bottom, orientation "h"/"v")
Edge = tuple[float, float, float, float, str]

_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|,b\b|\bbd\b", re.IGNORECASE)
_FORCE_BOLD = 1 << 18
_SKIP = frozenset("\r\n\x00\uffff")
_HYPHENS = {"\x02": "-", "\ufffe": "-"}  # PDFium's marks for a hyphen at a line end
_SPACES = frozenset(" \t\u00a0\u2002\u2003\u2009\u3000")
EDGE_MAX_THICKNESS = 3.0  # a path thinner than this is a ruling line
EDGE_MIN_LENGTH = 2.0


@dataclass(frozen=True)
class Font:
    """Effective size in points (matrix applied), bold flag, PostScript name."""

    size: float
    bold: bool
    name: str = ""


@dataclass
class PageContent:
    """What one page holds, in page coordinates (points, top-down)."""

    number: int
    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    fonts: list[Font] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    image_area: float = 0.0
    unmapped: int = 0  # glyphs whose font has no Unicode mapping for them


def _proto(fn: Any, restype: Any, *argtypes: Any) -> Any:
    """Re-declare a PDFium function with plain ``c_void_p`` handles (much cheaper calls)."""
    addr = ctypes.cast(fn, ctypes.c_void_p).value
    if not addr:
        raise RuntimeError("PDFium function not loaded")
    return ctypes.CFUNCTYPE(restype, *argtypes)(addr)


@lru_cache(maxsize=1)
def _api() -> dict[str, Any]:
    import pypdfium2.raw as r

    vp, ci = ctypes.c_void_p, ctypes.c_int
    return {
        "r": r,
        "text_object": _proto(r.FPDFText_GetTextObject, vp, vp, ci),
        "loose_box": _proto(r.FPDFText_GetLooseCharBox, ci, vp, ci, ctypes.POINTER(r.FS_RECTF)),
        "map_error": _proto(r.FPDFText_HasUnicodeMapError, ci, vp, ci),
        "unicode": _proto(r.FPDFText_GetUnicode, ctypes.c_uint, vp, ci),
        "obj_font": _proto(r.FPDFTextObj_GetFont, vp, vp),
    }


def _handle(obj: Any) -> int:
    return ctypes.cast(obj, ctypes.c_void_p).value or 0


class _Transform:
    """PDF user space → top-down display coordinates of the (rotated) visible page."""

    def __init__(self, page: Any) -> None:
        x0, y0, x1, y1 = page.get_cropbox()
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.rotation = page.get_rotation() % 360
        w, h = x1 - x0, y1 - y0
        self.width, self.height = (h, w) if self.rotation in (90, 270) else (w, h)

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, ...]:
        """(x0, x1, top, bottom) of a user-space rectangle."""
        rot = self.rotation
        if rot == 0:
            return (left - self.x0, right - self.x0, self.y1 - top, self.y1 - bottom)
        if rot == 90:
            return (bottom - self.y0, top - self.y0, left - self.x0, right - self.x0)
        if rot == 180:
            return (self.x1 - right, self.x1 - left, bottom - self.y0, top - self.y0)
        return (self.y1 - top, self.y1 - bottom, self.x1 - right, self.x1 - left)


def read_content(pdf: Any, index: int) -> PageContent:
    """Glyphs, fonts, ruling edges and image coverage of page ``index`` (0-based)."""
    page = pdf[index]
    try:
        tf = _Transform(page)
        content = PageContent(number=index + 1, width=tf.width, height=tf.height)
        _read_text(page, tf, content)
        _read_objects(page, tf, content)
    finally:
        page.close()
    return content


def _read_text(page: Any, tf: _Transform, out: PageContent) -> None:
    api = _api()
    r = api["r"]
    textpage = r.FPDFText_LoadPage(page.raw)
    if not textpage:
        return
    try:
        tp = _handle(textpage)
        n = r.FPDFText_CountChars(textpage)
        if n <= 0:
            return
        rect = r.FS_RECTF()
        prect = ctypes.pointer(rect)
        loose_box, text_object, map_error = api["loose_box"], api["text_object"], api["map_error"]
        get_unicode = api["unicode"]
        fonts: dict[int, int] = {}  # text object → font index
        index: dict[Font, int] = {}
        names: dict[int, tuple[str, bool]] = {}  # font handle → (name, bold)
        font_list: list[Font] = out.fonts
        glyphs = out.glyphs
        box = tf.box
        upright, ox, oy = tf.rotation == 0, tf.x0, tf.y1
        last_obj = -1
        font_idx = 0
        space = False
        unmapped = 0
        text = _all_text(r, textpage, n)
        check_every = 1
        for i in range(n):
            if text is not None:
                ch = text[i]
            else:
                cp = get_unicode(tp, i)
                ch = chr(cp) if 0 < cp < 0x110000 else "\x00"
            if ch in _SKIP:
                space = True if ch in "\r\n" else space
                continue
            if ch in _SPACES:
                space = True
                continue
            ch = _HYPHENS.get(ch, ch)
            obj = text_object(tp, i) or 0
            if obj != last_obj:
                last_obj = obj
                # a font without a Unicode map fails on every glyph: test each glyph of an
                # object whose first glyph fails, every 8th glyph of the others
                check_every = 1 if map_error(tp, i) else 8
                got = fonts.get(obj)
                if got is None:
                    font = _font(r, textpage, i, obj, names)
                    got = index.get(font)
                    if got is None:
                        got = index[font] = len(font_list)
                        font_list.append(font)
                    fonts[obj] = got
                font_idx = got
            if (check_every == 1 or i % check_every == 0) and map_error(tp, i):
                unmapped += check_every
            loose_box(tp, i, prect)
            if upright:
                glyphs.append(
                    (
                        ch,
                        rect.left - ox,
                        rect.right - ox,
                        oy - rect.top,
                        oy - rect.bottom,
                        font_idx,
                        space,
                    )
                )
            else:
                x0, x1, top, bottom = box(rect.left, rect.bottom, rect.right, rect.top)
                glyphs.append((ch, x0, x1, top, bottom, font_idx, space))
            space = False
        out.unmapped = unmapped
    finally:
        r.FPDFText_ClosePage(textpage)


def _all_text(r: Any, textpage: Any, n: int) -> str | None:
    """All characters in one call, or ``None`` unless they map one to one onto the indexes
    (PDFium leaves out characters without a Unicode value; surrogate pairs take two units)."""
    buf = ctypes.create_string_buffer(2 * (n + 1))
    written = r.FPDFText_GetText(textpage, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    if written != n + 1:
        return None
    text = buf.raw[: 2 * n].decode("utf-16-le", errors="replace")
    return text if len(text) == n and "\ufffd" not in text else None


def _font(r: Any, textpage: Any, i: int, obj: int, names: dict[int, tuple[str, bool]]) -> Font:
    """Size (with the text matrix) and boldness of the font of glyph ``i`` (object ``obj``)."""
    api = _api()
    size = float(r.FPDFText_GetFontSize(textpage, i))
    m = r.FS_MATRIX()
    if r.FPDFText_GetMatrix(textpage, i, m):
        scale = math.hypot(m.c, m.d)
        if scale > 0:
            size *= scale
    handle = api["obj_font"](obj) if obj else 0
    cached = names.get(handle) if handle else None
    if cached is None:
        weight = r.FPDFText_GetFontWeight(textpage, i)
        buf = ctypes.create_string_buffer(128)
        flags = ctypes.c_int(0)
        got = r.FPDFText_GetFontInfo(textpage, i, buf, 128, ctypes.byref(flags))
        name = buf.value.decode("latin-1", errors="replace") if got else ""
        bold = weight >= 600 or bool(_BOLD_NAME.search(name)) or bool(flags.value & _FORCE_BOLD)
        cached = (name, bold)
        if handle:
            names[handle] = cached
    return Font(size=round(size, 2), bold=cached[1], name=cached[0])


# --- graphics: ruling lines, rectangles, images -------------------------------------------------


def _read_objects(page: Any, tf: _Transform, out: PageContent) -> None:
    import pypdfium2.raw as r

    n = r.FPDFPage_CountObjects(page.raw)
    for i in range(n):
        _visit(r, r.FPDFPage_GetObject(page.raw, i), None, tf, out, 0)


def _visit(
    r: Any, obj: Any, matrix: tuple[float, ...] | None, tf: _Transform, out: PageContent, depth: int
) -> None:
    kind = r.FPDFPageObj_GetType(obj)
    if kind == r.FPDF_PAGEOBJ_PATH:
        _path_edges(r, obj, matrix, tf, out)
    elif kind == r.FPDF_PAGEOBJ_IMAGE:
        x0, x1, top, bottom = _bounds(r, obj, matrix, tf)
        x0, x1 = max(0.0, x0), min(tf.width, x1)
        top, bottom = max(0.0, top), min(tf.height, bottom)
        if x1 > x0 and bottom > top:
            out.image_area += (x1 - x0) * (bottom - top)
    elif kind == r.FPDF_PAGEOBJ_FORM and depth < 6:
        own = _matrix(r, obj)
        combined = own if matrix is None else _compose(own, matrix)
        for j in range(r.FPDFFormObj_CountObjects(obj)):
            _visit(r, r.FPDFFormObj_GetObject(obj, j), combined, tf, out, depth + 1)


def _matrix(r: Any, obj: Any) -> tuple[float, ...]:
    m = r.FS_MATRIX()
    if not r.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying ``inner`` first, then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _apply(m: tuple[float, ...] | None, x: float, y: float) -> tuple[float, float]:
    if m is None:
        return x, y
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _bounds(
    r: Any, obj: Any, matrix: tuple[float, ...] | None, tf: _Transform
) -> tuple[float, float, float, float]:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not r.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return (0.0, 0.0, 0.0, 0.0)
    pts = [
        _apply(matrix, x, y) for x in (left.value, right.value) for y in (bottom.value, top.value)
    ]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, t, b = tf.box(min(xs), min(ys), max(xs), max(ys))
    return (x0, x1, t, b)


def _path_edges(
    r: Any, obj: Any, matrix: tuple[float, ...] | None, tf: _Transform, out: PageContent
) -> None:
    fill = ctypes.c_int(0)
    stroke = ctypes.c_int(0)
    if r.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)) and not (
        fill.value or stroke.value
    ):
        return  # a clipping path draws nothing
    x0, x1, top, bottom = _bounds(r, obj, matrix, tf)
    w, h = x1 - x0, bottom - top
    if max(w, h) < EDGE_MIN_LENGTH:
        return
    if w <= EDGE_MAX_THICKNESS or h <= EDGE_MAX_THICKNESS:
        if w >= h:
            mid = (top + bottom) / 2
            out.edges.append((x0, mid, x1, mid, "h"))
        else:
            mid = (x0 + x1) / 2
            out.edges.append((mid, top, mid, bottom, "v"))
        return
    # A larger path: take its axis-parallel straight segments (rectangles give four edges).
    n = r.FPDFPath_CountSegments(obj)
    if n <= 0 or n > 2000:
        return
    own = _matrix(r, obj)
    m = own if matrix is None else _compose(own, matrix)
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    fx, fy = ctypes.c_float(), ctypes.c_float()
    for k in range(n):
        seg = r.FPDFPath_GetPathSegment(obj, k)
        if not r.FPDFPathSegment_GetPoint(seg, fx, fy):
            continue
        pt = _apply(m, fx.value, fy.value)
        kind = r.FPDFPathSegment_GetType(seg)
        if kind == r.FPDF_SEGMENT_MOVETO:
            start = prev = pt
            continue
        if kind == r.FPDF_SEGMENT_LINETO and prev is not None:
            _segment_edge(prev, pt, tf, out)
        prev = pt
        if r.FPDFPathSegment_GetClose(seg) and start is not None and prev is not None:
            _segment_edge(prev, start, tf, out)
            prev = start


def _segment_edge(
    p: tuple[float, float], q: tuple[float, float], tf: _Transform, out: PageContent
) -> None:
    x0, x1, top, bottom = tf.box(min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))
    if abs(bottom - top) < 0.5 and x1 - x0 >= EDGE_MIN_LENGTH:
        out.edges.append((x0, top, x1, top, "h"))
    elif abs(x1 - x0) < 0.5 and bottom - top >= EDGE_MIN_LENGTH:
        out.edges.append((x0, top, x0, bottom, "v"))
