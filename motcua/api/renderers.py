"""The browsable API under the Content-Security-Policy (docs/security.md).

DRF's browsable API templates carry inline `style="…"` attributes everywhere (third-party
templates), so its HTML pages alone allow inline *styles* (`style-src 'self' 'unsafe-inline'`);
scripts stay `'self'`, nothing else changes. The inline `<style>` of its syntax highlighting
(Pygments CSS) is left out all the same; prettify.css still colours the response. JSON
answers and every other page keep the site's policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import renderers

from motcua.lib.csp import HEADER, POLICY, header_value

BROWSABLE_POLICY = header_value({**POLICY, "style-src": ["'self'", "'unsafe-inline'"]})


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API: no `code_style`, inline style attributes allowed on its pages."""

    def get_context(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """DRF's context with no inline style sheet."""
        context: dict[str, Any] = super().get_context(*args, **kwargs)
        context["code_style"] = None
        return context

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> Any:
        """DRF's page, with the browsable API's policy on the response."""
        response = (renderer_context or {}).get("response")
        if response is not None:
            response[HEADER] = BROWSABLE_POLICY
        return super().render(data, accepted_media_type, renderer_context)
