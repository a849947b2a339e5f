"""Content-Security-Policy on every response (docs/security.md).

A small middleware instead of a new dependency (django-csp is not installed). The policy
allows scripts, styles, fonts and connections from motcua itself only: no inline scripts, no
inline event handlers (`onchange=`), no inline styles, no `eval`, no framing. Pages put their
styles in static CSS and their behaviour in static JS (`data-*` attributes, e.g.
`data-autosubmit`). A view that needs another policy sets the header itself; the middleware
leaves it alone (`csp_exempt` below).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def header_value(policy: dict[str, list[str]] | None = None) -> str:
    """The policy as a header value: `default-src 'self'; script-src 'self'; …`."""
    policy = POLICY if policy is None else policy
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Set `Content-Security-Policy` (settings.MOTCUA_CSP, else POLICY) unless already set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.value = header_value(getattr(settings, "MOTCUA_CSP", None))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = self.value
        return response


def csp_exempt(policy: dict[str, list[str]]) -> Callable[[Any], Any]:
    """Decorate a view (function) to answer with `policy` instead of the site's one."""
    value = header_value(policy)

    def decorate(view: Any) -> Any:
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response: HttpResponse = view(request, *args, **kwargs)
            response[HEADER] = value
            return response

        wrapped.__name__ = getattr(view, "__name__", "view")
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorate
