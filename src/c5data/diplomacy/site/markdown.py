"""Markdown prose shown on the site (coverage.md, the codebook's counting recipes) rendered by markdown-it-py.

CommonMark with raw HTML turned off (so text from the package is escaped, never markup), headings shifted to fit
the page's outline and given ids, and links to other sites marked `rel="noopener"`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from markupsafe import Markup


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


def inline(text: str) -> Markup:
    """One line of Markdown (code, emphasis, links) as HTML, without a paragraph around it."""
    return Markup(_parser().renderInline(text))


def to_html(text: str, top: int = 2, ident: str = "md") -> Markup:
    """`text` as HTML; a `#` heading becomes `<h{top}>`, `##` `<h{top+1}>` and so on (ids `{ident}-{slug of the title}`)."""
    parser = _parser()
    tokens = parser.parse(text)
    for n, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, top + int(token.tag[1]) - 1)}"
            if token.type == "heading_open":
                title = tokens[n + 1].content if n + 1 < len(tokens) else ""
                token.attrSet("id", f"{ident}-" + (re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or str(n)))
        for child in token.children or []:
            if child.type == "link_open" and str(child.attrGet("href") or "").startswith(("http://", "https://")):
                child.attrSet("rel", "noopener")
    return Markup(parser.renderer.render(tokens, parser.options, {}))
