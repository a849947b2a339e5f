"""One browser journey: enrol a TOTP device, sign out, sign in again with the code."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from motcua.portal.tests.browser import (  # noqa: F401
    NewPage,
    browser,
    csp_violations,
    new_page,
)

pytestmark = pytest.mark.browser


def _code(secret: str, steps_ahead: int = 0) -> str:
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{totp(key, drift=steps_ahead):06d}"


def test_an_officer_enrols_then_signs_in_with_the_code(
    new_page: NewPage,  # noqa: F811
    people: dict,
) -> None:
    page = new_page()
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("alice")
    page.get_by_label("Mật khẩu").fill("pw-alice")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất (alice)")).to_be_visible()

    page.goto("/xac-thuc-hai-lop/")
    expect(page.get_by_role("img", name="Mã QR để thêm tài khoản")).to_be_visible()
    secret = page.locator("figcaption code").inner_text()
    assert re.fullmatch(r"[A-Z2-7 ]+", secret)
    page.get_by_label("Mã xác thực (6 chữ số)").fill(_code(secret))
    page.get_by_role("button", name="Bật xác thực hai lớp").click()
    expect(page.get_by_text("Xác thực hai lớp đang bật cho tài khoản này")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất (alice)").click()

    page.goto("/dang-nhap/?next=/ho-so/")
    page.get_by_label("Tên đăng nhập").fill("alice")
    page.get_by_label("Mật khẩu").fill("pw-alice")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Nhập mã xác thực")).to_be_visible()
    page.goto("/ho-so/")  # nothing else opens before the code
    expect(page.get_by_role("heading", name="Nhập mã xác thực")).to_be_visible()
    page.get_by_label("Mã xác thực (6 chữ số)").fill(_code(secret, 1))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(re.compile(r"/ho-so/$"))
