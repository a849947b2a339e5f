"""The portal's front door — trang chủ cổng dịch vụ công: what `/` shows a citizen.

Anybody not signed in, and an applicant signed in with a portal account, lands here: search
the procedures, look up a dossier, send feedback, book an appointment, sign in. Officers sign
in one link away and then get their own home (`web.views.home`). Plain forms, no JavaScript.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from motcua.portal.access import is_applicant
from motcua.portal.lookup_forms import DossierLookupForm


def shows_portal_home(request: HttpRequest) -> bool:
    """Whether `/` is the citizens' home for this visitor (anonymous, or an applicant)."""
    user = request.user
    return not user.is_authenticated or is_applicant(user)


def portal_home(request: HttpRequest) -> HttpResponse:
    """The citizens' portal home."""
    return render(
        request,
        "portal/home.html",
        {
            "lookup_form": DossierLookupForm(),
            "lookup_action": reverse("portal:status"),
            "applicant": request.user.is_authenticated,
        },
    )
