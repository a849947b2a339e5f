"""Assembling a reform report in memory: computed figures + registers, the template's sections
with their text, what is missing, the checks, and the structure a renderer reads.

`build_report(code, period, cutoff=…)` writes nothing: the `motcua report reform` command
prints it, `services.generate_report` stores it as a draft.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from motcua.lib.periods import TZ, Period
from motcua.reports.choices import SlotKind
from motcua.reports.reform import checks
from motcua.reports.reform.figures import (
    MONEY,
    PERCENT,
    Figure,
    compute_figures,
    period_code,
)
from motcua.reports.reform.registers import ALL_KEYS, REGISTER_KEYS, entries_for
from motcua.reports.reform.templates import (
    figure_matches,
    heading,
    next_period,
    period_words,
)

# Version of the figure definitions recorded in every snapshot (bump when a definition changes).
DEFINITIONS_VERSION = "reform-figures/1"


def register_figure(entry: Any, period: Period, cutoff: dt.datetime) -> Figure:
    """An entered figure (`RegisterEntry`) as a report figure."""
    kind, label, measure = ALL_KEYS.get(entry.key, ("", entry.key, "count"))
    if entry.period_from and entry.period_to:
        window: dict[str, Any] = {
            "kind": "period",
            "from": entry.period_from.isoformat(),
            "to": entry.period_to.isoformat(),
        }
    elif kind == "override":  # a computed figure typed in: the report's own window
        window = {"kind": "period", "from": period.first.isoformat(), "to": period.last.isoformat()}
    else:
        window = {"kind": "as_of", "as_of": entry.as_of.isoformat()}
    window["cutoff"] = cutoff.astimezone(TZ).isoformat(timespec="seconds")
    value: Any = entry.value
    if entry.value_decimal is not None:
        value = float(entry.value_decimal)
    return Figure(
        entry.key,
        label,
        value,
        window,
        {
            "kind": "register",
            "entry": entry.pk,
            "unit": entry.unit.code,
            "as_of": entry.as_of.isoformat(),
            "entered_by": entry.entered_by_name,
            "entered_at": entry.entered_at.astimezone(TZ).isoformat(timespec="seconds"),
            "evidence": entry.evidence_name or entry.evidence_reference,
        },
        measure=measure,
        numerator=entry.numerator,
        denominator=entry.denominator,
        decimals=entry.decimals,
    )


def assemble(code: str, period: Period, *, cutoff: dt.datetime) -> list[Figure]:
    """Computed figures and register entries; an entry for a computed key over the same window
    replaces the computed figure (kept in `source.computed_value`)."""
    figures = compute_figures(code, period, cutoff=cutoff)
    position = {(f.key, checks.window_of(f.full())): i for i, f in enumerate(figures)}
    for entry in entries_for(code, period.first, period.last):
        entered = register_figure(entry, period, cutoff)
        slot = (entered.key, checks.window_of(entered.full()))
        if slot in position:
            computed = figures[position[slot]]
            entered.source = {
                **entered.source,
                "kind": "override",
                "computed_value": computed.value,
            }
            entered.label = computed.label
            figures[position[slot]] = entered
        else:
            figures.append(entered)
    return figures


_REF = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def format_value(figure: Figure | dict[str, Any]) -> str:
    """A figure's value as printed: 184.027; 51,20%; 21.985.346.717 đồng; ranks as written."""
    data = figure.full() if isinstance(figure, Figure) else figure
    value = data.get("value")
    if value is None:
        return "—"
    measure = data.get("measure")
    if measure == PERCENT:
        return f"{checks.vn_number(value, data.get('decimals') or 2)}%"
    if measure == MONEY:
        return f"{checks.vn_number(value)} đồng"
    return checks.vn_number(value, data.get("decimals"))


def resolve_text(text: str, figures: list[Figure]) -> str:
    """Replace every `{{key}}` by the figure's printed value (unknown keys stay visible)."""
    values: dict[str, str] = {}
    for f in figures:
        values.setdefault(f.key, format_value(f))
    return _REF.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def render_sections(
    sections: list[dict[str, Any]],
    period: Period,
    texts: dict[str, str],
    figures: list[Figure],
) -> list[dict[str, Any]]:
    """The template's sections for `period`: heading filled in, text (references resolved),
    the keys of the figures the section shows, children."""
    rendered = []
    for section in sections:
        key = str(section.get("key", ""))
        patterns = list(section.get("figures") or [])
        raw = texts.get(key, "")
        rendered.append(
            {
                "key": key,
                "number": str(section.get("number", "")),
                "heading": heading(section, period),
                "kind": section.get("kind", SlotKind.WRITTEN),
                "optional": bool(section.get("optional")),
                "appendix": bool(section.get("appendix")),
                "period_ref": section.get("period_ref", ""),
                "patterns": patterns,
                "figures": [f.key for f in figures if patterns and figure_matches(patterns, f.key)],
                "text": resolve_text(raw, figures),
                "raw_text": raw,
                "children": render_sections(
                    list(section.get("children") or []), period, texts, figures
                ),
            }
        )
    return rendered


def missing_slots(sections: list[dict[str, Any]], figures: list[Figure]) -> list[dict[str, str]]:
    """Hand-entered figures without an entry, and written sections without text."""
    have = {f.key for f in figures}
    missing: list[dict[str, str]] = []

    def visit(items: list[dict[str, Any]]) -> None:
        for s in items:
            if s["kind"] == SlotKind.ENTERED:
                for key, (_kind, label, _m) in REGISTER_KEYS.items():
                    if key not in have and figure_matches(s["patterns"], key):
                        missing.append({"section": s["key"], "key": key, "label": label})
            elif (
                s["kind"] == SlotKind.WRITTEN
                and not s["children"]
                and not s["optional"]
                and not s["raw_text"].strip()
            ):
                missing.append({"section": s["key"], "key": "", "label": s["heading"]})
            visit(s["children"])

    visit(sections)
    return missing


def expected_periods(period: Period) -> dict[str, str]:
    """The words a heading must use for the current and the next period."""
    return {"current": period_words(period), "next": period_words(next_period(period))}


@dataclass
class ReformReport:
    """A reform report in memory: everything a renderer or the JSON needs."""

    unit_code: str
    unit_name: str
    period: Period
    cutoff: dt.datetime
    template: dict[str, Any]
    figures: list[Figure]
    sections: list[dict[str, Any]]
    texts: dict[str, str] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, str]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    differences: list[dict[str, Any]] = field(default_factory=list)

    def check(self) -> list[dict[str, Any]]:
        """Run §4 on the figures, the sections and the text; keep and return the findings."""
        self.findings = checks.run_checks(
            [f.full() for f in self.figures],
            first=self.period.first,
            last=self.period.last,
            sections=self.sections,
            expected=expected_periods(self.period),
            texts=self.texts,
        )
        return self.findings

    def document(self) -> dict[str, Any]:
        """The renderer's input: unit, period, sections with numbers, headings and text,
        every figure with its printed value and measure, registers, recipients, signer."""
        return {
            "unit": {"code": self.unit_code, "name": self.unit_name},
            "period": {
                "code": period_code(self.period),
                "name": self.period.name,
                "label": self.period.label,
                "from": self.period.first.isoformat(),
                "to": self.period.last.isoformat(),
                "words": period_words(self.period),
            },
            "cutoff": self.cutoff.astimezone(TZ).isoformat(timespec="seconds"),
            "template": self.template,
            "definitions": DEFINITIONS_VERSION,
            "sections": self.sections,
            "figures": [
                {**f.full(), "printed": format_value(f), "registered": _registered(f)}
                for f in self.figures
            ],
            "missing": self.missing,
            # issue data (filled from the stored report; empty in a preview)
            "number": "",
            "place": "",
            "issued_on": None,
            "authority": "",
            "signer": {"title": "", "name": ""},
            "recipients": [],
            "state": "",
            **self.meta,
            "differences": self.differences,
        }

    def as_json(self) -> dict[str, Any]:
        """The contract `{"figures": [...], "findings": [...]}` plus the renderer's `document`."""
        return {
            "figures": [f.as_json() for f in self.figures],
            "findings": self.findings,
            "document": self.document(),
        }


def _registered(figure: Figure) -> bool:
    return figure.source.get("kind") in ("register", "override")


def build_report(
    code: str,
    period: Period,
    *,
    cutoff: dt.datetime,
    template: Any,
    texts: dict[str, str] | None = None,
    figures: list[Figure] | None = None,
) -> ReformReport:
    """Assemble and check the report of unit `code` for `period` (StatsError: unknown unit)."""
    from motcua.stats.selectors import scope_of

    scope = scope_of(code, period)
    texts = dict(texts or {})
    if figures is None:
        figures = assemble(code, period, cutoff=cutoff)
    sections = render_sections(list(template.sections), period, texts, figures)
    report = ReformReport(
        unit_code=code,
        unit_name=scope.unit.name,
        period=period,
        cutoff=cutoff,
        template={"code": template.code, "version": template.version, "name": template.name},
        figures=figures,
        sections=sections,
        texts=texts,
    )
    report.missing = missing_slots(sections, figures)
    report.check()
    return report
