"""The public pages are light and work without JavaScript: under 200 KB on first load with
every linked stylesheet, script and image counted; forms are plain GET/POST; every input has
a label; the page says its language; the portal's colours keep WCAG 2.1 AA contrast."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.test import Client

from motcua.conftest import Province
from motcua.dossiers.tokens import rating_token
from motcua.portal.tests.lookup_helpers import procedure_for, returned

BUDGET = 200 * 1024
STATIC_URL = "/static/"


class Page(HTMLParser):
    """What the checks need from a page: assets, scripts, forms, inputs, labels, lang."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.assets: list[str] = []
        self.scripts = 0
        self.handlers: list[str] = []
        self.forms: list[dict[str, str]] = []
        self.controls: list[dict[str, str]] = []
        self.label_for: set[str] = set()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        self.handlers += [k for k in a if k.startswith("on")]
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "link" and a.get("rel") in {"stylesheet", "icon", "preload"}:
            self.assets.append(a["href"])
        elif tag in {"img", "source"} and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "script":
            self.scripts += 1
            if a.get("src"):
                self.assets.append(a["src"])
        elif tag == "form":
            self.forms.append(a)
        elif tag in {"input", "select", "textarea"}:
            if a.get("type") not in {"hidden", "submit", "button", "reset"}:
                self.controls.append({"tag": tag, **a})
        elif tag == "label" and a.get("for"):
            self.label_for.add(a["for"])


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def asset_size(client: Client, url: str) -> int:
    """Bytes of a linked local file (static files through the finders, others through Django)."""
    assert not re.match(r"^(https?:)?//", url), f"{url}: no CDN, assets are local"
    if url.startswith(STATIC_URL):
        found = finders.find(url[len(STATIC_URL) :].split("?")[0])
        assert found, f"{url} is not a static file"
        return Path(str(found)).stat().st_size
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        chunks: list[bytes] = list(response.streaming_content)  # type: ignore[attr-defined]
        return sum(len(chunk) for chunk in chunks)
    return len(response.content)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def pages(client: Client, people: dict, province: Province) -> dict[str, str]:
    """The HTML of every public page this helper owns, in a realistic state."""
    procedure = procedure_for(province, online_level="full", fee=1500000)
    dossier = returned(people, province, procedure)
    urls = {
        "home": "/",
        "procedure list": "/thu-tuc/?q=dang+ky",
        "procedure list, no search": "/thu-tuc/",
        "procedure page": "/thu-tuc/1.001193/",
        "status form": "/tra-cuu/",
        "rating lookup": "/danh-gia/",
        "rating": f"/danh-gia/?t={rating_token(dossier)}",
        "rating link": f"/danh-gia/{rating_token(dossier)}/",
    }
    result = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code in {200, 404}, name
        result[name] = response.content.decode()
    # The status look-up is posted (code and digits stay out of URLs).
    for name, digits in (("status", "5678"), ("status not found", "0000")):
        response = client.post("/tra-cuu/", {"ma": "C1-250303-0001", "so": digits})
        assert response.status_code in {200, 404}, name
        result[name] = response.content.decode()
    assert "Hạn trả kết quả" in result["status"]
    assert 'name="satisfied"' in result["rating"]
    return result


def test_every_page_is_under_200_kb_with_its_assets(client: Client, pages: dict) -> None:
    for name, html in pages.items():
        page = parse(html)
        assert page.assets, name
        total = len(html.encode()) + sum(asset_size(client, url) for url in set(page.assets))
        assert total < BUDGET, f"{name}: {total} bytes"


def test_pages_need_no_javascript(pages: dict) -> None:
    for name, html in pages.items():
        page = parse(html)
        assert page.scripts == 0, name
        assert page.handlers == [], name
        for form in page.forms:
            assert form.get("method", "get").lower() in {"get", "post"}, name
            assert form.get("action"), name


def test_every_input_has_a_label_and_the_page_its_language(pages: dict) -> None:
    for name, html in pages.items():
        page = parse(html)
        assert page.lang == "vi", name
        assert len(page.ids) == len(set(page.ids)), f"{name}: duplicate ids"
        for control in page.controls:
            assert control.get("id"), f"{name}: {control}"
            assert control["id"] in page.label_for, f"{name}: no <label for> for {control}"
        assert 'href="#noi-dung"' in html and 'id="noi-dung"' in html, name


def test_english_is_switchable(client: Client, pages: dict) -> None:
    assert 'name="language" value="en"' in pages["procedure list"]
    client.cookies["django_language"] = "en"
    for url in ("/thu-tuc/", "/thu-tuc/1.001193/", "/tra-cuu/", "/danh-gia/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert parse(response.content.decode()).lang == "en", url
    status = client.post("/tra-cuu/", {"ma": "C1-250303-0001", "so": "5678"})
    assert status.status_code == 200
    assert 'name="language" value="vi"' in status.content.decode()


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_portal_colours_meet_wcag_aa() -> None:
    css = Path(str(finders.find("portal/portal.css"))).read_text(encoding="utf-8")
    colours = dict(re.findall(r"--portal-([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [
        ("text", "background"),
        ("muted", "background"),
        ("link", "background"),
        ("link-hover", "background"),
        ("link", "notice-background"),
        ("muted", "notice-background"),
        ("notice-text", "notice-background"),
        ("error-text", "error-background"),
        ("ok-text", "ok-background"),
        ("button-text", "button-background"),
    ]
    for fg, bg in pairs:
        ratio = contrast(colours[fg], colours[bg])
        assert ratio >= 4.5, f"{fg} on {bg}: {ratio:.2f}"
    assert 'data-theme="light"' in (
        Path(__file__).resolve().parents[1] / "templates" / "portal" / "base.html"
    ).read_text(encoding="utf-8")
