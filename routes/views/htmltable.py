"""Tables as plain HTML that read on a phone: real header cells for screen readers, and each cell carries its
column's label so the shared style sheet (routes.web.pageshell) can show one card per row on narrow screens."""

from __future__ import annotations

import html
from collections.abc import Sequence


def table_html(
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    caption: str = "",
    numeric: Sequence[int] = (),
    row_headers: bool = False,
) -> str:
    """A ``<table class="guide-table">``; ``numeric`` columns align right on wide screens; with ``row_headers`` the
    first cell of each row is a row header (``<th scope="row">``). Every text is escaped."""
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(str(c))}</th>' for c in columns)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            label = esc(str(columns[i])) if i < len(columns) else ""
            text = esc("" if value is None else str(value))
            # An empty cell is marked so the phone card layout drops its row: a label with no value ("经过方式" for
            # a place that is a point) says nothing.
            classes = [c for c, on in (("num", i in numeric), ("empty", not text.strip())) if on]
            cls = f' class="{" ".join(classes)}"' if classes else ""
            if i == 0 and row_headers:
                cells.append(f'<th scope="row" data-label="{label}"{cls}>{text}</th>')
            else:
                cells.append(f'<td data-label="{label}"{cls}>{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table class="guide-table">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
