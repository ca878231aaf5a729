"""What every HTML page stdcompare writes shares: a Jinja2 environment with autoescape, the
package's templates, and a Content-Security-Policy that allows only the page's own hashed
style and script (nothing external, no inline handlers)."""

from __future__ import annotations

import base64
import functools
import hashlib
from importlib import resources
from typing import Any


def read_template(package: str, name: str) -> str:
    """A file from ``package``'s ``templates`` folder (package data)."""
    return resources.files(package).joinpath("templates", name).read_text("utf-8")


@functools.lru_cache(maxsize=8)
def template_env(package: str) -> Any:
    """The autoescaping Jinja2 environment over ``package``'s ``templates`` folder.

    Callers add their filters to ``env.filters`` once; environments are cached per package.
    """
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline style or script."""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
    return f"'sha256-{digest}'"


def content_security_policy(*, css: str = "", js: str = "") -> str:
    """A policy for a self-contained page: its inline ``css``/``js`` by hash, ``data:``
    images, nothing else. (``frame-ancestors`` is left out: browsers ignore it in a
    ``<meta>`` tag and log an error.)"""
    style = csp_hash(css) if css else "'none'"
    script = csp_hash(js) if js else "'none'"
    return (
        f"default-src 'none'; img-src data:; style-src {style}; script-src {script}; "
        "base-uri 'none'; form-action 'none'"
    )
