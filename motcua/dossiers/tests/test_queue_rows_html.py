"""The work queue's rows are built in Python (`Cell.html`, `DossierTable.html_rows`, issue 16):
the HTML must be what the template tags wrote before, escaping included."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from motcua.dossiers.tables import Cell

# The cell markup `_queue_table.html` had before the rows moved to Python.
OLD_CELL = Template(
    '<td class="cell-{{ cell.column }}" data-label="{{ cell.label }}">{% if cell.href %}'
    '<a href="{{ cell.href }}">{{ cell.text }}</a>{% elif cell.css %}<span class="{{ cell.css }}"'
    '{% if cell.title %} title="{{ cell.title }}"{% endif %}>{{ cell.text }}</span>{% else %}'
    '<span{% if cell.title %} title="{{ cell.title }}"{% endif %}>{{ cell.text }}</span>'
    "{% endif %}</td>"
)


@pytest.mark.parametrize(
    "cell",
    [
        Cell("DT.1-250101-0001", href="/ho-so/DT.1-250101-0001/", column="code", label="Mã"),
        Cell("còn 2 ngày", css="badge badge-ok", column="remaining", label="Còn lại / quá hạn"),
        Cell("tạm dừng", css="badge", title='đang "tạm dừng"', column="r", label="R"),
        Cell('Lê <b>Hồng</b> & "Huyền"', title="1.00<1>", column="applicant", label="Người nộp"),
        Cell("—", column="assignee", label="Người được giao"),
    ],
)
def test_cell_html_is_the_old_template(cell: Cell) -> None:
    assert cell.html == OLD_CELL.render(Context({"cell": cell}))


def test_html_rows_join_the_cells_of_each_row_in_order() -> None:
    from motcua.dossiers.tables import DossierTable

    table = DossierTable([])
    assert table.html_rows == []
    cells = [Cell("a", column="x", label="X"), Cell("<b>", href="/h/?a=1&b=2", column="y")]
    table.rows = [cells]
    table.__dict__.pop("html_rows", None)
    assert table.html_rows == ["<tr>" + cells[0].html + cells[1].html + "</tr>"]
    assert 'href="/h/?a=1&amp;b=2">&lt;b&gt;</a>' in table.html_rows[0]


@pytest.mark.parametrize(
    "code", ["C1-250303-0001", "DT.1-250101-0001", "Mã cũ 12", "A&B=1;x", "50%~:@!"]
)
def test_row_links_are_what_reverse_gives(code: str) -> None:
    """The code column builds its link with one `reverse()` per table: same URL, quoting too."""
    from django.urls import reverse

    from motcua.dossiers.tables import DossierTable

    assert DossierTable([]).detail_url(code) == reverse("dossiers:detail", args=[code])


def test_state_labels_follow_the_active_language() -> None:
    from django.utils import translation

    from motcua.dossiers.choices import State
    from motcua.dossiers.tables import DossierTable

    with translation.override("vi"):
        vi = DossierTable([]).state_labels[State.RESOLVED]
        assert vi == str(State.RESOLVED.label)
    with translation.override("en"):
        en = DossierTable([]).state_labels[State.RESOLVED]
        assert en == str(State.RESOLVED.label)
    assert en != vi
