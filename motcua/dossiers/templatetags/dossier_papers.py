"""The papers a user may print for a dossier, for the "Giấy tờ" section of the dossier page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.dossiers.papers import papers_for

register = template.Library()


@register.simple_tag
def dossier_papers(user: Any, dossier: Dossier) -> list[dict[str, Any]]:
    """Each printable paper with its name and its PDF and DOCX links."""
    code = dossier.code or ""
    return [
        {
            "key": p.key,
            "name": p.name,
            "pdf_url": reverse("dossiers:paper", args=[code, p.slug, "pdf"]),
            "docx_url": reverse("dossiers:paper", args=[code, p.slug, "docx"]),
        }
        for p in papers_for(user, dossier)
    ]


@register.simple_tag
def expected_return(dossier: Dossier) -> Any:
    """The date the latest apology expects the result by, when it granted no extension (an
    apology after the due instant): shown beside the unchanged appointment, never as it."""
    apologies = list(dossier.apologies.all())
    latest = max(apologies, key=lambda a: (a.issued_at, a.pk)) if apologies else None
    if latest is None or latest.grants_extension or dossier.finished_at is not None:
        return None
    return latest.new_due
