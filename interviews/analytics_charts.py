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
