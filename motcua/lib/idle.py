"""Officers' sessions end after MOTCUA_SESSION_IDLE_MINUTES without a request (sliding expiry).

An officer who leaves the desk signed in is signed out after the idle time; every request
pushes the deadline back. Applicants on the portal (signed in through
`motcua.portal.auth.ApplicantBackend`) keep Django's usual session age. The last activity is
written to the session at most once a minute (not on every request: a session write costs a
database UPDATE), so the session may end up to a minute early, never late.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

LAST_SEEN = "motcua_last_seen"
APPLICANT_BACKEND = "motcua.portal.auth.ApplicantBackend"
# Write the last-seen instant at most this often (seconds), capped at a tenth of the idle time.
GRANULARITY = 60


def now() -> float:
    """The current Unix time (a function, so tests can move the clock)."""
    return time.time()


def is_officer_session(session: object) -> bool:
    """Whether the session belongs to a signed-in officer (any backend but the applicants')."""
    get = getattr(session, "get", None)
    if get is None or get(SESSION_KEY) is None:
        return False
    return bool(get(BACKEND_SESSION_KEY) != APPLICANT_BACKEND)


def _to_sign_in(request: HttpRequest) -> HttpResponse:
    """An htmx answer that loads the officers' sign-in page, back to the current page after."""
    current = request.get_full_path()
    if shown := request.headers.get("HX-Current-URL"):  # the page the officer is looking at
        parts = urlsplit(shown)
        current = parts.path + (f"?{parts.query}" if parts.query else "")
    target = redirect_to_login(current, resolve_url(settings.LOGIN_URL))["Location"]
    response = HttpResponse(status=204)
    response["HX-Redirect"] = target
    return response


def start_idle_clock(
    sender: object, request: HttpRequest | None, user: object, **kwargs: object
) -> None:
    """`user_logged_in` receiver: the idle clock starts at sign-in (so the first request after
    signing in writes nothing more to the session)."""
    session = getattr(request, "session", None)
    if session is not None and is_officer_session(session):
        session[LAST_SEEN] = int(now())


class IdleSessionMiddleware:
    """Sign an officer out when the session was idle longer than the configured minutes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        idle = int(getattr(settings, "MOTCUA_SESSION_IDLE_MINUTES", 0)) * 60
        session = getattr(request, "session", None)
        # No session cookie, nobody signed in: do not load (or mark as read) a session.
        has_cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
        if idle and has_cookie and session is not None and is_officer_session(session):
            current = now()
            last = session.get(LAST_SEEN)
            if isinstance(last, int | float) and current - last > idle:
                session.flush()  # signed out: the view then sees an anonymous user
                if request.headers.get("HX-Request"):
                    # An htmx fragment request would swap the sign-in page into a corner of
                    # the page: send the whole browser to the sign-in page instead.
                    return _to_sign_in(request)
            elif not isinstance(last, int | float) or current - last >= min(GRANULARITY, idle / 10):
                session[LAST_SEEN] = int(current)
        return self.get_response(request)
