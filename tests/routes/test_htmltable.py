"""HTML tables: header cells, labelled cells for the phone card layout, and escaping."""

from __future__ import annotations

from routes.views.htmltable import table_html


def test_cells_carry_their_column_label_and_numbers_align():
    out = table_html(["公里", "名称"], [[1.5, "茶园"]], numeric=[0])
    assert '<th scope="col">公里</th><th scope="col">名称</th>' in out
    assert '<td data-label="公里" class="num">1.5</td><td data-label="名称">茶园</td>' in out


def test_row_headers_and_caption():
    out = table_html(["#", "x"], [[1, "a"]], caption="爬坡", row_headers=True)
    assert "<caption>爬坡</caption>" in out
    assert '<th scope="row" data-label="#">1</th>' in out


def test_hostile_text_is_escaped():
    out = table_html(['"><script>'], [["<img src=x onerror=alert(1)>"]])
    assert "<script>" not in out and "<img" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


def test_an_empty_cell_is_marked_and_the_phone_card_drops_its_row():
    from routes.web.pageshell import shell_style

    out = table_html(["公里", "名称", "经过方式"], [[1.5, "茶园", ""], [2.0, "湖", "环湖"]], numeric=[0])
    assert '<td data-label="经过方式" class="empty"></td>' in out
    assert '<td data-label="经过方式">环湖</td>' in out
    assert '<td data-label="公里" class="num">1.5</td>' in out
    card = shell_style().split("@media (max-width:", 1)[1]
    assert "table.guide-table td.empty { display: none; }" in card
