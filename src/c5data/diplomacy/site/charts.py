"""Charts as inline SVG, drawn at build time: no script, no network, the same bytes on every run.

Each chart is an `<svg role="img">` labelled by its `<title>` and `<desc>`;
the pages put a data table next to it as the text alternative. Every piece
of data text is escaped here (the templates mark the result safe).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#1f5f99", "#b35806", "#2d7d46", "#7b3294", "#8c510a", "#4d4d4d")  # dark enough for white text and 3:1 on white
FONT = 13


def _num(x: float) -> str:
    """Coordinates with at most one decimal, so output never depends on float noise."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg(ident: str, width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(ident)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{escape(ident)}-title {escape(ident)}-desc" '
        f'font-size="{FONT}">'
    )
    parts = [head, f'<title id="{escape(ident)}-title">{escape(title)}</title>', f'<desc id="{escape(ident)}-desc">{escape(desc)}</desc>', *body, "</svg>"]
    return Markup("\n".join(parts))


def _axis(peak: int) -> tuple[int, list[int]]:
    """A round axis top at or above peak, with at most six ticks on steps of 1, 2 or 5 × 10^n."""
    step = 1
    while True:
        for m in (1, 2, 5):
            n = -(-max(peak, 1) // (m * step))
            if n <= 5:
                top = n * m * step
                return top, list(range(0, top + 1, m * step))
        step *= 10


@dataclass
class Stack:
    label: str
    values: list[tuple[str, int]]  # (segment key, count) in legend order


def stacked_bars(ident: str, title: str, desc: str, bars: list[Stack], segments: list[tuple[str, str]]) -> Markup:
    """Vertical stacked bars (e.g. meetings per year by kind of series); segments are (key, legend label)."""
    width, left, right, bottom = 720, 44, 16, 40
    colours = {key: PALETTE[i % len(PALETTE)] for i, (key, _) in enumerate(segments)}
    body = []
    # legend: an entry that would cross the right edge starts a new line (8 px a character is wider than the text)
    x, line = left, 10
    for key, label in segments:
        if x > left and x + 20 + 8 * len(label) > width - right:
            x, line = left, line + 20
        body.append(f'<rect x="{x}" y="{line}" width="14" height="14" fill="{colours[key]}"/>')
        body.append(f'<text x="{x + 20}" y="{line + 12}">{escape(label)}</text>')
        x += 28 + 8 * len(label)
    top = line + 34
    height = 256 + top
    plot_w, plot_h = width - left - right, height - top - bottom
    y_max, ticks = _axis(max((sum(v for _, v in b.values) for b in bars), default=0))
    # grid and y axis
    for t in ticks:
        y = top + plot_h - plot_h * t / y_max
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{_num(y)}" y2="{_num(y)}" stroke="#d0d0d0"/>')
        body.append(f'<text x="{left - 6}" y="{_num(y + 4)}" text-anchor="end">{t}</text>')
    slot = plot_w / max(len(bars), 1)
    bar_w = min(56.0, slot * 0.7)
    for i, b in enumerate(bars):
        cx = left + slot * i + slot / 2
        y = top + plot_h
        total = sum(v for _, v in b.values)
        for key, v in b.values:
            if not v:
                continue
            h = plot_h * v / y_max
            y -= h
            body.append(
                f'<rect x="{_num(cx - bar_w / 2)}" y="{_num(y)}" width="{_num(bar_w)}" height="{_num(h)}" '
                f'fill="{colours[key]}"><title>{escape(b.label)}: {v} {escape(dict(segments)[key])}</title></rect>'
            )
        body.append(f'<text x="{_num(cx)}" y="{_num(y - 5)}" text-anchor="middle" font-weight="bold">{total}</text>')
        body.append(f'<text x="{_num(cx)}" y="{height - bottom + 18}" text-anchor="middle">{escape(b.label)}</text>')
    body.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#333"/>')
    return _svg(ident, width, height, title, desc, body)


def horizontal_bars(ident: str, title: str, desc: str, bars: list[tuple[str, int]]) -> Markup:
    """Horizontal bars with their value (e.g. pledges per sector)."""
    width, label_w, right, row = 720, 190, 40, 26
    top = 8
    height = top + row * len(bars) + 24
    plot_w = width - label_w - right
    peak, ticks = _axis(max((v for _, v in bars), default=0))
    body = []
    for t in ticks:
        x = label_w + plot_w * t / peak
        body.append(f'<line x1="{_num(x)}" x2="{_num(x)}" y1="{top}" y2="{top + row * len(bars)}" stroke="#d0d0d0"/>')
        body.append(f'<text x="{_num(x)}" y="{top + row * len(bars) + 16}" text-anchor="middle">{t}</text>')
    for i, (label, v) in enumerate(bars):
        y = top + row * i
        w = plot_w * v / peak
        body.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(label)}</text>')
        body.append(f'<rect x="{label_w}" y="{y + 4}" width="{_num(w)}" height="{row - 8}" fill="{PALETTE[0]}"><title>{escape(label)}: {v}</title></rect>')
        body.append(f'<text x="{_num(label_w + w + 6)}" y="{y + 17}">{v}</text>')
    return _svg(ident, width, height, title, desc, body)


@dataclass
class Lane:
    label: str
    colour_key: str
    dates: list[tuple[dt.date, str]]  # (date, tooltip)


def swimlanes(ident: str, title: str, desc: str, lanes: list[Lane], keys: list[tuple[str, str]]) -> Markup:
    """One lane per series, a dot per meeting on a shared time axis; the lane's name is written above its dots."""
    width, left, right, lane_h, top = 960, 12, 20, 44, 50
    all_dates = [d for lane in lanes for d, _ in lane.dates]
    first = min(all_dates).year if all_dates else 2000
    last = max(all_dates).year + 1 if all_dates else 2001
    span = (dt.date(last, 1, 1) - dt.date(first, 1, 1)).days
    plot_w = width - left - right
    height = top + lane_h * len(lanes) + 8
    colours = {key: PALETTE[i % len(PALETTE)] for i, (key, _) in enumerate(keys)}

    def xpos(d: dt.date) -> float:
        return left + plot_w * (d - dt.date(first, 1, 1)).days / span

    body = []
    x = left
    for key, label in keys:
        body.append(f'<circle cx="{x + 7}" cy="10" r="6" fill="{colours[key]}"/>')
        body.append(f'<text x="{x + 18}" y="14">{escape(label)}</text>')
        x += 36 + 8 * len(label)
    for i in range(0, len(lanes), 2):
        body.append(f'<rect x="{left}" y="{top + lane_h * i}" width="{plot_w}" height="{lane_h}" fill="#f3f5f8"/>')
    for year in range(first, last + 1):
        gx = xpos(dt.date(year, 1, 1))
        body.append(f'<line x1="{_num(gx)}" x2="{_num(gx)}" y1="{top}" y2="{top + lane_h * len(lanes)}" stroke="#d0d0d0"/>')
        if year < last:
            mid = xpos(dt.date(year, 7, 1))
            body.append(f'<text x="{_num(mid)}" y="{top - 4}" text-anchor="middle" fill="#555">{year}</text>')
    for i, lane in enumerate(lanes):
        y = top + lane_h * i
        label = lane.label if len(lane.label) <= 110 else lane.label[:109] + "…"
        body.append(f'<text x="{left + 4}" y="{y + 15}" fill="#222">{escape(label)}</text>')
        for d, tip in lane.dates:
            body.append(
                f'<circle cx="{_num(xpos(d))}" cy="{y + 30}" r="6" fill="{colours[lane.colour_key]}" '
                f'stroke="#fff" stroke-width="1.5"><title>{escape(tip)}</title></circle>'
            )
    return _svg(ident, width, height, title, desc, body)


# ---------------------------------------------------------------------------------------------------------------------
# Narrow versions (a phone's 390 px): the same data laid out vertically, drawn at 360 px so nothing scrolls sideways.
NARROW = 360


def _wrap(text: str, width: int) -> list[str]:
    """Words of `text` in lines of at most `width` characters (a longer word stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _legend_rows(keys: list[tuple[str, str]], colours: dict[str, str], y0: int) -> tuple[list[str], int]:
    body = []
    y = y0
    for key, label in keys:
        body.append(f'<rect x="12" y="{y}" width="14" height="14" fill="{colours[key]}"/>')
        body.append(f'<text x="32" y="{y + 12}">{escape(label)}</text>')
        y += 20
    return body, y


def stacked_bars_narrow(ident: str, title: str, desc: str, bars: list[Stack], segments: list[tuple[str, str]]) -> Markup:
    """The stacked bars turned sideways: one row per bar (e.g. per year), segments left to right."""
    colours = {key: PALETTE[i % len(PALETTE)] for i, (key, _) in enumerate(segments)}
    body, y = _legend_rows(segments, colours, 8)
    left, right, row = 52, 36, 28
    plot_w = NARROW - left - right
    peak, ticks = _axis(max((sum(v for _, v in b.values) for b in bars), default=0))
    top = y + 8
    for t in ticks:
        x = left + plot_w * t / peak
        body.append(f'<line x1="{_num(x)}" x2="{_num(x)}" y1="{top}" y2="{top + row * len(bars)}" stroke="#d0d0d0"/>')
        body.append(f'<text x="{_num(x)}" y="{top + row * len(bars) + 16}" text-anchor="middle">{t}</text>')
    labels = dict(segments)
    for i, b in enumerate(bars):
        yy = top + row * i
        x = float(left)
        body.append(f'<text x="{left - 8}" y="{yy + 18}" text-anchor="end">{escape(b.label)}</text>')
        for key, v in b.values:
            if not v:
                continue
            w = plot_w * v / peak
            tip = f"<title>{escape(b.label)}: {v} {escape(labels[key])}</title>"
            body.append(f'<rect x="{_num(x)}" y="{yy + 5}" width="{_num(w)}" height="{row - 10}" fill="{colours[key]}">{tip}</rect>')
            x += w
        body.append(f'<text x="{_num(x + 5)}" y="{yy + 18}" font-weight="bold">{sum(v for _, v in b.values)}</text>')
    height = top + row * len(bars) + 24
    return _svg(ident, NARROW, height, title, desc, body)


def horizontal_bars_narrow(ident: str, title: str, desc: str, bars: list[tuple[str, int]]) -> Markup:
    """Horizontal bars with each label on its own line above its bar."""
    left, right, row = 8, 36, 40
    plot_w = NARROW - left - right
    peak, _ = _axis(max((v for _, v in bars), default=0))
    body = []
    for i, (label, v) in enumerate(bars):
        y = 8 + row * i
        w = plot_w * v / peak
        body.append(f'<text x="{left}" y="{y + 12}">{escape(label)}</text>')
        body.append(f'<rect x="{left}" y="{y + 17}" width="{_num(w)}" height="16" fill="{PALETTE[0]}"><title>{escape(label)}: {v}</title></rect>')
        body.append(f'<text x="{_num(left + w + 6)}" y="{y + 30}">{v}</text>')
    return _svg(ident, NARROW, 8 + row * len(bars) + 8, title, desc, body)


def swimlanes_narrow(ident: str, title: str, desc: str, lanes: list[Lane], keys: list[tuple[str, str]]) -> Markup:
    """The lanes at phone width: each lane's name wrapped above its dots, the years marked on a shared axis."""
    left, right = 12, 14
    plot_w = NARROW - left - right
    all_dates = [d for lane in lanes for d, _ in lane.dates]
    first = min(all_dates).year if all_dates else 2000
    last = max(all_dates).year + 1 if all_dates else 2001
    span = (dt.date(last, 1, 1) - dt.date(first, 1, 1)).days
    colours = {key: PALETTE[i % len(PALETTE)] for i, (key, _) in enumerate(keys)}

    def xpos(d: dt.date) -> float:
        return left + plot_w * (d - dt.date(first, 1, 1)).days / span

    body: list[str] = []
    y = 8
    for key, label in keys:
        body.append(f'<circle cx="19" cy="{y + 7}" r="6" fill="{colours[key]}"/>')
        body.append(f'<text x="32" y="{y + 12}">{escape(label)}</text>')
        y += 20
    axis_y = y + 14
    grid_top = axis_y + 4
    blocks = []
    yy = grid_top
    for lane in lanes:
        lines = _wrap(lane.label, 44)
        blocks.append((yy, lines, lane))
        yy += 16 * len(lines) + 26
    for year in range(first, last + 1):
        gx = xpos(dt.date(year, 1, 1))
        body.append(f'<line x1="{_num(gx)}" x2="{_num(gx)}" y1="{grid_top}" y2="{yy}" stroke="#d0d0d0"/>')
        if year < last:
            body.append(f'<text x="{_num(xpos(dt.date(year, 7, 1)))}" y="{axis_y}" text-anchor="middle" fill="#555" font-size="11">{year}</text>')
    for i, (top, lines, lane) in enumerate(blocks):
        if i % 2 == 0:
            body.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{16 * len(lines) + 26}" fill="#f3f5f8" fill-opacity="0.7"/>')
        for k, line in enumerate(lines):
            body.append(f'<text x="{left + 4}" y="{top + 14 + 16 * k}" fill="#222">{escape(line)}</text>')
        cy = top + 16 * len(lines) + 12
        for d, tip in lane.dates:
            body.append(
                f'<circle cx="{_num(xpos(d))}" cy="{cy}" r="6" fill="{colours[lane.colour_key]}" stroke="#fff" stroke-width="1.5"><title>{escape(tip)}</title></circle>'
            )
    return _svg(ident, NARROW, yy + 8, title, desc, body)
