"""Draw wall time against rows on log-log axes as a small standalone SVG (no plotting library needed).

One line per tool, a marker per measured size; a straight line of slope 1
is linear growth, a flatter one a fixed cost that the rows have not yet
outgrown.
"""

from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT = 720, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 190, 30, 50
#: Tool key -> (label, colour, dash): colours that stay apart for the common kinds of colour blindness.
STYLE = {
    "c5data": ("c5data validate", "#0072b2", ""),
    "duckdb": ("DuckDB floor", "#009e73", "6 4"),
    "frictionless": ("frictionless validate", "#d55e00", "2 3"),
    "build": ("c5data build", "#cc79a7", "9 3 2 3"),
}


def _decades(low: float, high: float) -> list[float]:
    return [10.0**k for k in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)]


def _rows_label(n: float) -> str:
    return f"{n / 1e6:g}M" if n >= 1e6 else f"{n / 1e3:g}k" if n >= 1e3 else f"{n:g}"


def _seconds_label(s: float) -> str:
    return f"{s:g} s"


def scaling_svg(series: dict[str, list[tuple[int, float]]], title: str) -> str:
    """`series`: tool key -> [(rows, median seconds)]; returns the SVG text."""
    points = [(r, s) for values in series.values() for r, s in values if s > 0]
    if not points:
        raise ValueError("nothing to plot")
    xs = _decades(min(r for r, _ in points), max(r for r, _ in points))
    ys = _decades(min(s for _, s in points), max(s for _, s in points))
    x0, x1, y0, y1 = math.log10(xs[0]), math.log10(xs[-1]), math.log10(ys[0]), math.log10(ys[-1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(rows: float) -> float:
        return LEFT + (math.log10(rows) - x0) / ((x1 - x0) or 1) * plot_w

    def py(seconds: float) -> float:
        return TOP + plot_h - (math.log10(seconds) - y0) / ((y1 - y0) or 1) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'font-family="sans-serif" font-size="12" role="img" aria-labelledby="t">',
        f'<title id="t">{escape(title)}</title>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        f'<text x="{LEFT}" y="18" font-size="14">{escape(title)}</text>',
    ]
    for x in sorted(set(xs) | {r for r, _ in points}):  # grid at every decade and at every size measured
        out.append(f'<line x1="{px(x):.1f}" y1="{TOP}" x2="{px(x):.1f}" y2="{TOP + plot_h}" stroke="#ddd"/>')
        out.append(f'<text x="{px(x):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{_rows_label(x)}</text>')
    for y in ys:
        out.append(f'<line x1="{LEFT}" y1="{py(y):.1f}" x2="{LEFT + plot_w}" y2="{py(y):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{_seconds_label(y)}</text>')
    out.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 10}" text-anchor="middle">rows (participants + pledges), log scale</text>')
    out.append(f'<text transform="translate(16 {TOP + plot_h / 2}) rotate(-90)" text-anchor="middle">median wall time, log scale</text>')
    legend_y = TOP + 10
    for key, values in series.items():
        label, colour, dash = STYLE.get(key, (key, "#000", ""))
        pts = [(px(r), py(s)) for r, s in sorted(values) if s > 0]
        if not pts:
            continue
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>')
        out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>' for x, y in pts]
        out.append(f'<line x1="{WIDTH - RIGHT + 15}" y1="{legend_y}" x2="{WIDTH - RIGHT + 45}" y2="{legend_y}" stroke="{colour}" stroke-width="2"{dashed}/>')
        out.append(f'<text x="{WIDTH - RIGHT + 50}" y="{legend_y + 4}">{escape(label)}</text>')
        legend_y += 20
    out.append("</svg>")
    return "\n".join(out) + "\n"
