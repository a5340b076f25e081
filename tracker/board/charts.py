"""Small SVG charts drawn on the server: no chart library, no script, readable without colour.

Every chart has a <title> and a text label on each bar, so a screen reader (and a printout) gets the
numbers; the scorecard page also shows them in a table.
"""

from __future__ import annotations

from itertools import count

from markupsafe import Markup, escape

BAR = 22  # height of a bar
GAP = 8
LABEL_W = 210  # room for the labels left of the bars
VALUE_W = 120  # room for the value text right of the bars
FONT = 13
PALETTE = {"full": "#1e6b3a", "part": "#6a9f3a", "denied": "#a3231c", "no_records": "#b8860b",
           "referred": "#5b6570", "bar": "#1f4e79", "late": "#a3231c", "muted": "#c5ccd3"}
_ids = count(1)


def _clip(text: str, limit: int = 27) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    chart_id = f"chart-{next(_ids)}"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}" '
            f'font-family="system-ui, sans-serif" font-size="{FONT}">'
            f'<title id="{chart_id}">{escape(title)}</title>')
    return Markup(head + "".join(body) + "</svg>")


def bar_chart(rows: list[tuple[str, float | None, str]], *, title: str, width: int = 640,
              color: str = PALETTE["bar"], max_value: float | None = None) -> Markup:
    """Horizontal bars: (label, value or None for "no data", text shown after the bar)."""
    values = [v for _l, v, _t in rows if v is not None]
    top = max_value if max_value is not None else max(values, default=0)
    track = width - LABEL_W - VALUE_W
    height = max(len(rows), 1) * (BAR + GAP) + GAP
    body: list[str] = []
    for i, (label, value, text) in enumerate(rows):
        y = GAP + i * (BAR + GAP)
        middle = y + BAR / 2 + FONT / 2 - 2
        body.append(f'<text x="{LABEL_W - 8}" y="{middle:.1f}" text-anchor="end" fill="#1b1f24">'
                    f'<title>{escape(label)}</title>{escape(_clip(label))}</text>')
        length = 0.0 if not value or not top else max(track * value / top, 2.0)
        if value is None:
            body.append(f'<rect x="{LABEL_W}" y="{y}" width="{track}" height="{BAR}" fill="none" '
                        f'stroke="{PALETTE["muted"]}" stroke-dasharray="4 3"/>')
        else:
            body.append(f'<rect x="{LABEL_W}" y="{y}" width="{length:.1f}" height="{BAR}" fill="{color}" rx="3"/>')
        body.append(f'<text x="{LABEL_W + (length if value is not None else track) + 6:.1f}" y="{middle:.1f}" '
                    f'fill="#1b1f24">{escape(text)}</text>')
    return _svg(width, height, title, body)


def share_bar(parts: list[tuple[str, int, str]], *, title: str, width: int = 640) -> Markup:
    """One 100% bar split by count, with a legend: (label, count, palette key)."""
    total = sum(n for _l, n, _k in parts)
    legend_rows = (len(parts) + 1) // 2
    height = BAR + GAP * 2 + legend_rows * (FONT + 8) + 4
    body: list[str] = []
    if total == 0:
        body.append(f'<rect x="0" y="{GAP}" width="{width}" height="{BAR}" fill="none" '
                    f'stroke="{PALETTE["muted"]}" stroke-dasharray="4 3"/>')
        body.append(f'<text x="8" y="{GAP + BAR / 2 + FONT / 2 - 2:.1f}" fill="#5b6570">No determinations</text>')
    x = 0.0
    for label, n, key in parts:
        if not n or not total:
            continue
        w = width * n / total
        body.append(f'<rect x="{x:.1f}" y="{GAP}" width="{w:.1f}" height="{BAR}" fill="{PALETTE.get(key, key)}">'
                    f'<title>{escape(label)}: {n} of {total}</title></rect>')
        if w > 36:
            body.append(f'<text x="{x + 4:.1f}" y="{GAP + BAR / 2 + FONT / 2 - 2:.1f}" fill="#fff">'
                        f'{round(100 * n / total)}%</text>')
        x += w
    for i, (label, n, key) in enumerate(parts):
        col, row = i % 2, i // 2
        lx, ly = col * width / 2, BAR + GAP * 2 + row * (FONT + 8)
        share = f"{round(100 * n / total)}%" if total else "—"
        body.append(f'<rect x="{lx:.1f}" y="{ly}" width="{FONT}" height="{FONT}" fill="{PALETTE.get(key, key)}"/>')
        body.append(f'<text x="{lx + FONT + 6:.1f}" y="{ly + FONT - 2}" fill="#1b1f24">'
                    f'{escape(label)}: {n} ({share})</text>')
    return _svg(width, height, title, body)
