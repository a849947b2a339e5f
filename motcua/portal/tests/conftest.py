"""Fixtures of the portal tests: the browser ones live in `browser.py` (Chromium, live server)."""

from motcua.portal.tests.browser import browser, new_page, page, screenshots  # noqa: F401
