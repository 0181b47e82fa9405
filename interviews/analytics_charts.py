"""Server-rendered SVG charts of the analytics pages, drawn like the summary's criteria chart:
inline SVG with a title, every label escaped, no JavaScript."""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 760
LABEL = 220
ROW = 24
INK, MUTED, ACCENT, LINE = "#1b1f24", "#4a5563", "#0b5cad", "#d0d7de"
HIGHLIGHT = "#b3261e"


@dataclass(frozen=True)
class Interval:
    label: str
    value: float
    low: float | None
    high: float | None
    highlight: bool = False
    note: str = ""


def forest(
    rows: list[Interval],
    *,
    title: str,
    low: float,
    high: float,
    ticks: list[float],
    reference: float | None = None,
    chart_id: str = "forest",
) -> SafeString:
    """A dot with a horizontal interval per row, on a shared axis (a forest plot)."""
    if not rows:
        return format_html('<p class="meta">{}</p>', "Nothing to chart yet.")
    span = WIDTH - LABEL - 90

    def x(v: float) -> float:
        v = min(max(v, low), high)
        return round(LABEL + span * (v - low) / (high - low), 1)

    height = ROW * len(rows) + 34
    marks = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="{}" y="15" text-anchor="end" fill="{}"{}>{}</text>'
        '<line x1="{}" x2="{}" y1="11" y2="11" stroke="{}" stroke-width="2"></line>'
        '<circle cx="{}" cy="11" r="5" fill="{}"></circle>'
        '<text x="{}" y="15" fill="{}">{}</text></g>',
        (
            (
                index * ROW,
                LABEL - 8,
                HIGHLIGHT if r.highlight else INK,
                ' font-weight="700"' if r.highlight else "",
                r.label,
                x(r.low if r.low is not None else r.value),
                x(r.high if r.high is not None else r.value),
                HIGHLIGHT if r.highlight else MUTED,
                x(r.value),
                HIGHLIGHT if r.highlight else ACCENT,
                WIDTH - 84,
                MUTED,
                r.note or f"{r.value:+.2f}",
            )
            for index, r in enumerate(rows)
        ),
    )
    axis = format_html_join(
        "",
        '<line x1="{x}" x2="{x}" y1="0" y2="{h}" stroke="{c}"></line>'
        '<text x="{x}" y="{t}" text-anchor="middle" fill="{m}">{n}</text>',
        (
            {"x": x(t), "h": height - 22, "t": height - 6, "n": f"{t:g}", "c": LINE, "m": MUTED}
            for t in ticks
        ),
    )
    if reference is not None:
        axis = format_html(
            '{}<line x1="{x}" x2="{x}" y1="0" y2="{h}" stroke="{c}" stroke-dasharray="4 3"></line>',
            axis,
            x=x(reference),
            h=height - 22,
            c=INK,
        )
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{id}-title" xmlns="http://www.w3.org/2000/svg"'
        ' viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-size="12"'
        ' font-family="DejaVu Sans, sans-serif"><title id="{id}-title">{title}</title>{axis}{marks}</svg>',
        id=chart_id,
        w=WIDTH,
        h=height,
        title=title,
        axis=axis,
        marks=marks,
    )


def sparkline(counts: list[int], *, label: str, width: int = 120, height: int = 24) -> SafeString:
    """Times asked per month, oldest first, as a small line."""
    if len(counts) < 2:
        return format_html('<span class="meta">{}</span>', "—" if not counts else f"{counts[0]}")
    top = max(counts) or 1
    step = width / (len(counts) - 1)
    points = " ".join(
        f"{round(i * step, 1)},{round(height - 2 - (height - 4) * c / top, 1)}"
        for i, c in enumerate(counts)
    )
    return format_html(
        '<svg role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}"'
        ' width="{}" height="{}"><polyline points="{}" fill="none" stroke="{}" stroke-width="1.5">'
        "</polyline></svg>",
        label,
        width,
        height,
        width,
        height,
        points,
        ACCENT,
    )


@dataclass(frozen=True)
class Point:
    label: str
    x: float
    y: float
    flagged: bool = False


def scatter(
    points: list[Point],
    *,
    title: str,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    x_label: str,
    y_label: str,
    x_line: float,
    y_line: float,
    chart_id: str = "scatter",
) -> SafeString:
    """Labelled points on two axes, with a dashed threshold on each; flagged points in red."""
    if not points:
        return format_html('<p class="meta">{}</p>', "Nothing to chart yet.")
    width, height, left, bottom = WIDTH, 360, 50, 40
    (x0, x1), (y0, y1) = x_range, y_range

    def px(v: float) -> float:
        return round(left + (width - left - 20) * (min(max(v, x0), x1) - x0) / (x1 - x0), 1)

    def py(v: float) -> float:
        return round(10 + (height - bottom - 10) * (1 - (min(max(v, y0), y1) - y0) / (y1 - y0)), 1)

    dots = format_html_join(
        "",
        '<g><circle cx="{}" cy="{}" r="4" fill="{}"></circle>'
        '<text x="{}" y="{}" fill="{}" font-size="10">{}</text></g>',
        (
            (
                px(p.x),
                py(p.y),
                HIGHLIGHT if p.flagged else ACCENT,
                px(p.x) + 6,
                py(p.y) + 3,
                HIGHLIGHT if p.flagged else MUTED,
                p.label,
            )
            for p in points
        ),
    )
    frame = format_html(
        '<line x1="{l}" x2="{r}" y1="{b}" y2="{b}" stroke="{c}"></line>'
        '<line x1="{l}" x2="{l}" y1="10" y2="{b}" stroke="{c}"></line>'
        '<line x1="{xl}" x2="{xl}" y1="10" y2="{b}" stroke="{ink}" stroke-dasharray="4 3"></line>'
        '<line x1="{l}" x2="{r}" y1="{yl}" y2="{yl}" stroke="{ink}" stroke-dasharray="4 3"></line>'
        '<text x="{mid}" y="{t}" text-anchor="middle" fill="{m}">{xt}</text>'
        '<text x="12" y="{ym}" fill="{m}" transform="rotate(-90 12 {ym})" text-anchor="middle">{yt}</text>'
        '<text x="{l}" y="{lt}" text-anchor="middle" fill="{m}">{x0}</text>'
        '<text x="{r}" y="{lt}" text-anchor="middle" fill="{m}">{x1}</text>'
        '<text x="{ll}" y="{bt}" text-anchor="end" fill="{m}">{y0}</text>'
        '<text x="{ll}" y="18" text-anchor="end" fill="{m}">{y1}</text>',
        l=left,
        r=width - 20,
        b=height - bottom,
        c=LINE,
        ink=INK,
        m=MUTED,
        xl=px(x_line),
        yl=py(y_line),
        mid=(left + width) / 2,
        t=height - 6,
        ym=(height - bottom) / 2,
        xt=x_label,
        yt=y_label,
        lt=height - bottom + 14,
        bt=height - bottom,
        ll=left - 4,
        x0=f"{x0:g}",
        x1=f"{x1:g}",
        y0=f"{y0:g}",
        y1=f"{y1:g}",
    )
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{id}-title" xmlns="http://www.w3.org/2000/svg"'
        ' viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-size="12"'
        ' font-family="DejaVu Sans, sans-serif"><title id="{id}-title">{title}</title>{frame}{dots}</svg>',
        id=chart_id,
        w=width,
        h=height,
        title=title,
        frame=frame,
        dots=dots,
    )
