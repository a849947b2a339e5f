"""Who may use the applicant's pages: signed-in users with an applicant account."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from motcua.portal.models import ApplicantProfile


def is_applicant(user: Any) -> bool:
    """Whether `user` is signed in with an applicant account."""
    return bool(
        getattr(user, "is_authenticated", False)
        and ApplicantProfile.objects.filter(user_id=user.pk).exists()
    )


def applicant_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Send anonymous visitors to the portal sign-in; refuse officers' accounts (403).

    The applicant's pages show only the signed-in person's own dossiers; an officer's
    account has none there and must use the officer workspace instead.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        if not is_applicant(request.user):
            return render(request, "portal/account/applicants_only.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
