"""Reading a DOCX back as Word resolves it, and the element checks `decree30_check` repeats.

Formatting comes from the run, then the paragraph style and the styles it is based on; an
element is found by its paragraph style ("NĐ30 …", see `motcua.documents.decree30.Role`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from motcua.documents.decree30 import SIZE_RANGES_PT, Role
from motcua.lib.vnnumber import number_text

EMU_PER_MM = 36000
TWIPS_PER_MM = 1440 / 25.4
DEFAULT_CELL_MARGIN_TWIPS = 108  # Word's default left/right cell padding
ALIGN_NAMES = {
    WD_ALIGN_PARAGRAPH.LEFT: "trái",
    WD_ALIGN_PARAGRAPH.CENTER: "giữa",
    WD_ALIGN_PARAGRAPH.RIGHT: "phải",
    WD_ALIGN_PARAGRAPH.JUSTIFY: "đều hai bên",
}


def msg(template: str, **values: object) -> str:
    """A translated message with its named values filled in."""
    return _(template) % values


def pt_text(value: float | None) -> str:
    """12.0 → '12', 12.5 → '12,5' (sizes and margins in messages)."""
    if value is None:
        return _("không rõ")
    value = round(float(value), 1)
    return number_text(value, 0 if value.is_integer() else 1)


@dataclass
class Found:
    """A paragraph, its element, and where it sits (table, row, column; section)."""

    role: str
    paragraph: DocxParagraph
    table: int | None
    row: int | None
    col: int | None
    section: int


# -- reading formatting as Word resolves it -------------------------------------------------------


def walk(doc: Any) -> Iterator[Found]:
    """Every body paragraph in order, with its element, table position and section."""
    section = 0
    tables = 0
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            p = DocxParagraph(child, doc._body)
            yield Found(role_of(p), p, None, None, None, section)
            if child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                section += 1
        elif child.tag == qn("w:tbl"):
            table = DocxTable(child, doc._body)
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row.cells):
                    for p in cell.paragraphs:
                        yield Found(role_of(p), p, tables, r, c, section)
            tables += 1


def role_of(p: DocxParagraph) -> str:
    """The element a paragraph stands for: its style name ("NĐ30 Quốc hiệu")."""
    style = p.style
    return style.name if style is not None and style.name else ""


def styles_of(p: DocxParagraph) -> Iterator[Any]:
    """The paragraph's style and the styles it is based on, nearest first."""
    style: Any = p.style
    while style is not None:
        yield style
        style = style.base_style


def resolve(p: DocxParagraph, run: Any, get: Callable[[Any], Any]) -> Any:
    """The first value set on the run's font, then on the paragraph style chain."""
    if run is not None:
        value = get(run.font)
        if value is not None:
            return value
    for style in styles_of(p):
        value = get(style.font)
        if value is not None:
            return value
    return None


def para_fmt(p: DocxParagraph, get: Callable[[Any], Any]) -> Any:
    """A paragraph-format value: on the paragraph, else from its style chain."""
    value = get(p.paragraph_format)
    if value is not None:
        return value
    for style in styles_of(p):
        value = get(style.paragraph_format)
        if value is not None:
            return value
    return None


def text_runs(p: DocxParagraph) -> list[Any]:
    """The runs that print something (blank runs carry no formatting to check)."""
    return [run for run in p.runs if run.text.strip()]


def size_pt(p: DocxParagraph, run: Any) -> float | None:
    """The run's font size in points, as resolved (None when nothing sets it)."""
    size = resolve(p, run, lambda f: f.size)
    return size.pt if size is not None else None


def label(role: str) -> str:
    """The element's name as shown in messages ("Quốc hiệu")."""
    return role.removeprefix("NĐ30 ")


def text_of(p: DocxParagraph) -> str:
    """The paragraph's text without surrounding spaces."""
    return p.text.strip()


# -- generic element checks -----------------------------------------------------------------------


def check_element(
    problems: list[str],
    items: list[Found],
    size_key: str,
    *,
    bold: bool | None = None,
    italic: bool | None = False,
    upper: bool | None = None,
    align: Any = None,
) -> None:
    """Size range, bold, italic, case and alignment of each paragraph of one element."""
    low, high = SIZE_RANGES_PT[size_key]
    for item in items:
        p, name = item.paragraph, label(item.role)
        runs = text_runs(p)
        if not runs:
            problems.append(msg("%(element)s: đoạn trống", element=name))
            continue
        for run in runs:
            size = size_pt(p, run)
            if size is None or not low - 0.01 <= size <= high + 0.01:
                values = {"element": name, "size": pt_text(size), "text": run.text.strip()[:40]}
                problems.append(
                    msg(
                        "%(element)s: cỡ chữ %(size)s pt, phải %(low)s pt (“%(text)s”)",
                        low=pt_text(low),
                        **values,
                    )
                    if low == high
                    else msg(
                        "%(element)s: cỡ chữ %(size)s pt ngoài khoảng %(low)s–%(high)s pt "
                        "(“%(text)s”)",
                        low=pt_text(low),
                        high=pt_text(high),
                        **values,
                    )
                )
            if bold is not None and bool(resolve(p, run, lambda f: f.bold)) != bold:
                problems.append(
                    msg("%(element)s: phải in đậm", element=name)
                    if bold
                    else msg("%(element)s: không được in đậm", element=name)
                )
            if italic is not None and bool(resolve(p, run, lambda f: f.italic)) != italic:
                problems.append(
                    msg("%(element)s: phải in nghiêng", element=name)
                    if italic
                    else msg("%(element)s: không được in nghiêng", element=name)
                )
        text = text_of(p)
        if upper is True and text != text.upper():
            problems.append(
                msg("%(element)s: phải viết in hoa (“%(text)s”)", element=name, text=text)
            )
        if upper is False and text == text.upper():
            problems.append(
                msg("%(element)s: không viết in hoa toàn bộ (“%(text)s”)", element=name, text=text)
            )
        if align is not None:
            actual = para_fmt(p, lambda f: f.alignment)
            if (actual or WD_ALIGN_PARAGRAPH.LEFT) != align:
                problems.append(
                    msg(
                        "%(element)s: phải căn %(expected)s, đang căn %(actual)s",
                        element=name,
                        expected=ALIGN_NAMES[align],
                        actual=ALIGN_NAMES.get(actual or WD_ALIGN_PARAGRAPH.LEFT, str(actual)),
                    )
                )


def count_role(
    problems: list[str],
    by_role: dict[str, list[Found]],
    role: str,
    low: int,
    high: int | None = None,
) -> list[Found]:
    """The paragraphs of one element, with a problem when there are too few or many."""
    items = by_role.get(role, [])
    if len(items) < low:
        problems.append(msg("Thiếu %(element)s", element=label(role).lower()))
    elif high is not None and len(items) > high:
        problems.append(
            msg(
                "%(element)s: có %(count)s lần, chỉ được %(high)s",
                element=label(role),
                count=len(items),
                high=high,
            )
        )
    return items


def has_border(p: DocxParagraph, side: str) -> bool:
    """Whether the paragraph has a solid border on `side`."""
    ppr = p._p.pPr
    if ppr is None:
        return False
    edge = ppr.find(f"{qn('w:pBdr')}/{qn('w:' + side)}")
    return edge is not None and edge.get(qn("w:val")) not in (None, "nil", "none")


def next_in_container(
    found: list[Found], item: Found, *, skip: tuple[str, ...] = ()
) -> Found | None:
    """The paragraph after `item` in the same container (skipping the `skip` elements)."""
    index = found.index(item) + 1
    while index < len(found):
        nxt = found[index]
        same = (nxt.table, nxt.row, nxt.col) == (item.table, item.row, item.col)
        if not same:
            return None
        if nxt.role not in skip:
            return nxt
        index += 1
    return None


def container_mm(doc: Any, item: Found) -> float:
    """The width (mm) a paragraph's indents are measured from: its cell or the text area."""
    if item.table is None:
        section = doc.sections[item.section]
        return (section.page_width - section.left_margin - section.right_margin) / EMU_PER_MM
    tbl = doc.tables[item.table]
    cell = tbl.cell(item.row, item.col)
    width = cell.width / EMU_PER_MM if cell.width is not None else 0.0
    margins = tbl._tbl.tblPr.find(qn("w:tblCellMar"))
    pad = 0.0
    for side in ("left", "right"):
        edge = margins.find(qn(f"w:{side}")) if margins is not None else None
        twips = int(edge.get(qn("w:w"))) if edge is not None else DEFAULT_CELL_MARGIN_TWIPS
        pad += twips / TWIPS_PER_MM
    return width - pad


def rule_mm(doc: Any, rule: Found) -> float:
    """The length (mm) of a line drawn as the bottom border of an indented paragraph."""
    fmt = rule.paragraph.paragraph_format
    left = (fmt.left_indent or 0) / EMU_PER_MM
    right = (fmt.right_indent or 0) / EMU_PER_MM
    return container_mm(doc, rule) - left - right


def check_rule(
    doc: Any,
    found: list[Found],
    problems: list[str],
    after: Found,
    text_mm: float,
    ratio: tuple[float, float],
    what: str,
    skip: tuple[str, ...] = (),
) -> None:
    """A solid line under `after` whose length is `ratio` of the text's width."""
    rule = next_in_container(found, after, skip=skip)
    if rule is None or rule.role != Role.RULE or not has_border(rule.paragraph, "bottom"):
        problems.append(msg("Thiếu đường kẻ dưới %(what)s", what=what))
        return
    share = rule_mm(doc, rule) / text_mm
    if not ratio[0] - 0.02 <= share <= ratio[1] + 0.02:
        problems.append(
            msg(
                "Đường kẻ dưới %(what)s: dài bằng %(share)s dòng chữ, phải từ %(low)s đến %(high)s",
                what=what,
                share=number_text(share, 2),
                low=number_text(ratio[0], 2),
                high=number_text(ratio[1], 2),
            )
        )
