"""The reform report as a Decree 30/2020 paper: the report's `document()` → DOCX, PDF, XLSX.

The figures are never recomputed here: each is printed from the report's own data (its value,
measure and printed text), in the section of the template that shows it, and every figure again
in the figures appendix ("Phụ lục số liệu", also as XLSX). A draft leaves the number and the
date blank for the clerical office (văn thư); an issued report prints its number and symbol,
date, signer and recipients.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from motcua.documents.decree30 import (
    AdministrativeDocument,
    Appendix,
    Block,
    Cell,
    Item,
    Paragraph,
    PartHeading,
    Percent,
    Signature,
    Table,
)
from motcua.dossiers.documents import place_name
from motcua.reports.reform.figures import COUNT, MONEY, PERCENT
from motcua.units.models import Unit

APPENDIX_TITLE = "SỐ LIỆU KẾT QUẢ CẢI CÁCH HÀNH CHÍNH"
DEFAULT_SIGNER_TITLE = "THỦ TRƯỞNG ĐƠN VỊ"
# A draft is printed before anyone signs: where the signer's name will go.
UNSIGNED = "(Họ và tên người ký)"
_NUMBER = re.compile(r"^\s*(\d+)\s*/\s*(\S+)\s*$")


def _day(text: str) -> str:
    return dt.date.fromisoformat(text).strftime("%d/%m/%Y")


def _cell(figure: dict[str, Any]) -> Cell:
    """The figure as a table cell: counts and money stay numbers, percentages `Percent`."""
    value = figure.get("value")
    measure = figure.get("measure")
    if value is None:
        return "—"
    if measure in (COUNT, MONEY) and isinstance(value, int) and not isinstance(value, bool):
        return value
    if measure == PERCENT and isinstance(value, int | float):
        return Percent(value, figure.get("decimals") or 2)
    return str(figure.get("printed") or value)


def _figures_table(figures: list[dict[str, Any]], *, numbered: bool = False) -> Table:
    if numbered:
        return Table(
            header=("STT", "Chỉ tiêu", "Số liệu"),
            rows=tuple((str(i), f["label"], _cell(f)) for i, f in enumerate(figures, 1)),
            widths_mm=(12.0, 115.0, 38.0),
        )
    return Table(
        header=("Chỉ tiêu", "Số liệu"),
        rows=tuple((f["label"], _cell(f)) for f in figures),
        widths_mm=(125.0, 40.0),
    )


def _paragraphs(text: str) -> list[Block]:
    return [Paragraph(part.strip()) for part in re.split(r"\n\s*\n", text or "") if part.strip()]


def _body(sections: list[dict[str, Any]], by_key: dict[str, dict[str, Any]]) -> list[Block]:
    blocks: list[Block] = []
    for section in sections:
        if section.get("appendix"):
            continue
        shown = [by_key[k] for k in section.get("figures", []) if k in by_key]
        if section.get("optional") and not (section.get("text") or shown):
            continue
        blocks.append(PartHeading(section["number"], section["heading"]))
        blocks += _paragraphs(section.get("text", ""))
        if shown:
            blocks.append(_figures_table(shown))
        for child in section.get("children") or []:
            child_shown = [by_key[k] for k in child.get("figures", []) if k in by_key]
            blocks.append(Item(child["number"], title=child["heading"]))
            blocks += _paragraphs(child.get("text", ""))
            if child_shown:
                blocks.append(_figures_table(child_shown))
    return blocks


def _unit(document: dict[str, Any]) -> Unit | None:
    code = document["unit"]["code"]
    on = dt.date.fromisoformat(document["period"]["to"])
    return Unit.objects.version_of(code, on) or Unit.objects.version_of(code)


def administrative_document(document: dict[str, Any]) -> AdministrativeDocument:
    """The paper of a report's `document()` (a preview, a stored draft or an issued report)."""
    unit = _unit(document)
    unit_name = unit.name if unit is not None else document["unit"]["name"]
    parent = unit.parent if unit is not None else None
    period = document["period"]
    words = period["words"]
    figures = list(document.get("figures") or [])
    by_key = {f["key"]: f for f in figures}
    number: int | None = None
    abbreviation = (unit.short_name if unit is not None else "") or document["unit"]["code"]
    symbol = f"BC-{abbreviation}".replace(" ", "").upper()
    if match := _NUMBER.match(str(document.get("number") or "")):
        number, symbol = int(match[1]), match[2].upper()
    issued_on = dt.date.fromisoformat(document["issued_on"]) if document.get("issued_on") else None
    signer = document.get("signer") or {}
    authority = str(document.get("authority") or "")
    title = str(signer.get("title") or DEFAULT_SIGNER_TITLE)
    on_behalf_of = ""
    if authority in ("KT.", "TL.", "TUQ.", "TM."):
        # "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH": the head's title is the deputy's without "PHÓ ".
        on_behalf_of = re.sub(r"^PHÓ\s+", "", title.upper()) or DEFAULT_SIGNER_TITLE
    recipients = [str(r) for r in document.get("recipients") or []]
    return AdministrativeDocument(
        superior_agency=parent.name.upper() if parent is not None else "",
        issuing_agency=unit_name.upper(),
        number=number,
        symbol=symbol,
        place=str(document.get("place") or (place_name(unit) if unit is not None else "")),
        issued_on=issued_on,
        doc_type="BÁO CÁO",
        summary=f"Công tác cải cách hành chính {words}",
        subtitle=f"(Số liệu tính từ {_day(period['from'])} đến {_day(period['to'])})",
        body=tuple(_body(list(document.get("sections") or []), by_key)),
        closing=f"Trên đây là Báo cáo công tác cải cách hành chính {words} của {unit_name}./.",
        recipients=tuple(recipients) or ("Như trên",),
        archive=("VT",),
        signature=Signature(
            title=title,
            name=str(signer.get("name") or UNSIGNED),
            authority=authority,
            on_behalf_of=on_behalf_of,
        ),
        appendices=(Appendix(APPENDIX_TITLE, blocks=(_figures_table(figures, numbered=True),)),)
        if figures
        else (),
    )
