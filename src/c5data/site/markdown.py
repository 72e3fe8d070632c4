"""A small Markdown-to-HTML converter for the prose the site shows (coverage.md): headings, paragraphs, bullet lists
(with wrapped lines), **bold**, *emphasis*, `code` and [links](url). Everything else is text, escaped."""

from __future__ import annotations

import re

from markupsafe import Markup, escape


def inline(text: str) -> str:
    out = str(escape(text))
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", r"<em>\1</em>", out)
    return re.sub(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", r'<a href="\2" rel="noopener">\1</a>', out)


def to_html(text: str, top: int = 2, ident: str = "md") -> Markup:
    """`text` as HTML; a `#` heading becomes `<h{top}>`, `##` `<h{top+1}>` and so on (ids `{ident}-{n}`)."""
    html: list[str] = []
    para: list[str] = []
    items: list[list[str]] = []

    def flush() -> None:
        if para:
            html.append(f"<p>{inline(' '.join(para))}</p>")
            para.clear()
        if items:
            html.append("<ul>" + "".join(f"<li>{inline(' '.join(i))}</li>" for i in items) + "</ul>")
            items.clear()

    for line in text.splitlines():
        stripped = line.strip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        if not stripped:
            flush()
        elif heading:
            flush()
            level = min(6, top + len(heading.group(1)) - 1)
            html.append(f'<h{level} id="{ident}-{len(html)}">{inline(heading.group(2))}</h{level}>')
        elif re.match(r"^[-*]\s+", stripped):
            if para:
                flush()
            items.append([re.sub(r"^[-*]\s+", "", stripped)])
        elif items and line.startswith((" ", "\t")):
            items[-1].append(stripped)
        else:
            if items:
                flush()
            para.append(stripped)
    flush()
    return Markup("\n".join(html))
