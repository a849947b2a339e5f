"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

`conftest.py` beside this module imports the fixtures, so any portal test may ask for `page`,
`new_page`, `browser` or `screenshots`. Each test gets its own Playwright driver and browser,
so the event loop the sync API keeps in the test thread never outlives the test.

The live server (one per pytest-xdist worker, on a free port) serves static files through
`django.contrib.staticfiles`, so the vendored assets of `make setup` load as in production.
Screenshots go to `<MOTCUA_VAR_DIR>/screenshots/<test name>/NN-step.png` (default
`var/screenshots/`, ignored by git); the folder is emptied when the test starts.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

# Debian's package, installed by `.ci/run`; never Playwright's own download.
CHROMIUM = Path(os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Long enough for a loaded CI machine running two workers; a wait, never an assertion on speed.
TIMEOUT_MS = 20_000
# `expect(...)` polls with its own timeout (5 s by default): the same patience as the actions.
expect.set_options(timeout=TIMEOUT_MS)
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

NewPage = Callable[..., Page]
Shoot = Callable[[Page, str], Path]


@pytest.fixture
def browser(live_server: Any) -> Iterator[Browser]:
    """A headless Chromium for one test (fails, never skips, when Chromium is missing)."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need Debian's package "
            "(apt-get install chromium; `.ci/run` installs it) or MOTCUA_CHROMIUM=/path/to/it",
            pytrace=False,
        )
    # The live server shares this process's cache: start without rate-limit counters left by
    # earlier tests from the same address (127.0.0.1).
    cache.clear()
    # The sync API keeps an asyncio loop marked as running in this thread between calls;
    # Django then refuses ORM calls from the test body. The test thread does nothing
    # concurrent with the loop, so the check may be lifted for this test only.
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        driver = sync_playwright().start()
        try:
            # launch() gives the browser a fresh temporary profile and deletes it on close.
            chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
        finally:
            # While the loop counts as running, Django keeps the test body's database
            # connections apart from the thread's usual ones; close them now, or PostgreSQL
            # refuses to drop the test database at the end ("being accessed by other users").
            connections.close_all()
            driver.stop()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


# Every page reports Content-Security-Policy violations (the `securitypolicyviolation` event)
# to Python through a binding, so none is lost when the page navigates (docs/security.md).
CSP_LISTENER = """document.addEventListener('securitypolicyviolation', (e) => {
  window.__motcuaCsp(e.violatedDirective + ' ' + (e.blockedURI || '') + ' at '
    + (e.sourceFile || document.location.pathname) + ':' + e.lineNumber
    + (e.sample ? ' «' + e.sample + '»' : ''));
});"""


CSP_KEY = pytest.StashKey[list[str]]()


def csp_violations(request: pytest.FixtureRequest) -> list[str]:
    """The policy violations reported so far by the pages of this test (`new_page`)."""
    return request.node.stash.setdefault(CSP_KEY, [])


@pytest.fixture
def new_page(
    browser: Browser, live_server: Any, request: pytest.FixtureRequest
) -> Iterator[NewPage]:
    """Open a page in a fresh context (own cookies) on the live server; options go to the
    context, e.g. `new_page(java_script_enabled=False)` or `new_page(viewport=...)`.
    A Content-Security-Policy violation on any page fails the test."""
    contexts: list[BrowserContext] = []
    violations = csp_violations(request)

    def open_page(**options: Any) -> Page:
        options = {
            "base_url": live_server.url,
            "locale": "vi-VN",
            "timezone_id": settings.TIME_ZONE,
            "viewport": {"width": 1280, "height": 900},
            **options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.expose_binding("__motcuaCsp", lambda _source, text: violations.append(text))
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert violations == [], f"Content-Security-Policy violations: {violations}"


@pytest.fixture
def page(new_page: NewPage) -> Page:
    """A page with JavaScript on, Vietnamese locale, desktop viewport."""
    return new_page()


def screenshot_dir(test_name: str) -> Path:
    """Where the screenshots of `test_name` go (a safe folder name)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name).strip("-")
    return Path(settings.VAR_DIR) / "screenshots" / safe


@pytest.fixture
def screenshots(request: pytest.FixtureRequest) -> Shoot:
    """`shoot(page, "step")` saves a full-page screenshot as NN-step.png and returns its path."""
    folder = screenshot_dir(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    taken: list[Path] = []

    def shoot(page: Page, step: str) -> Path:
        path = folder / f"{len(taken) + 1:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    return shoot


# axe-core from the npm registry (package.json devDependencies; `make setup` runs `npm ci`).
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def axe_violations(page: Page, impacts: tuple[str, ...] = SERIOUS) -> list[str]:
    """Run axe-core on the page as it is now; one line per violation of the given impacts."""
    if not AXE.is_file():
        pytest.fail(f"axe-core not found at {AXE}: run `make setup` (npm ci)", pytrace=False)
    # Evaluated, not added as an inline <script> tag: the policy refuses inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [
        f"{v['impact']}: {v['id']} — {v['help']} at {', '.join(v['nodes'])}"
        for v in result
        if v["impact"] in impacts
    ]
