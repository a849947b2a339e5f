"""The status look-up: posted (code and digits stay out of URLs); a code locked after guesses."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.conftest import Province
from motcua.dossiers.models import Dossier
from motcua.portal.tests.lookup_helpers import procedure_for, returned

CODE = "C1-250303-0001"


@pytest.fixture
def dossier(people: dict, province: Province) -> Dossier:
    return returned(people, province, procedure_for(province))


def test_the_look_up_form_posts_and_an_old_link_with_digits_shows_no_result(
    client: Client, dossier: Dossier
) -> None:
    form = client.get("/tra-cuu/").content.decode()
    assert '<form method="post" action="/tra-cuu/">' in form
    assert 'name="csrfmiddlewaretoken"' in form
    old_link = client.get("/tra-cuu/", {"ma": CODE, "so": "5678"})
    assert old_link.status_code == 200
    html = old_link.content.decode()
    assert "Tình trạng" not in html and "Hạn trả kết quả" not in html
    assert f'value="{CODE}"' in html and 'value="5678"' not in html
    posted = client.post("/tra-cuu/", {"ma": CODE, "so": "5678"})
    assert posted.status_code == 200 and "Hạn trả kết quả" in posted.content.decode()
    # the rating look-up by code and digits is posted the same way
    rating_link = client.get("/danh-gia/", {"ma": CODE, "so": "5678"}).content.decode()
    assert 'name="satisfied"' not in rating_link
    rating = client.post("/danh-gia/", {"ma": CODE, "so": "5678"}).content.decode()
    assert 'name="satisfied"' in rating


def test_a_code_is_locked_after_wrong_digits_from_any_address(
    dossier: Dossier, settings: Any
) -> None:
    settings.MOTCUA_LOOKUP_CODE_FAILURES = 3
    settings.MOTCUA_LOOKUP_CODE_LOCK = 10**9
    for i in range(3):  # each guess from a fresh address: the per-address budget never bites
        wrong = Client(REMOTE_ADDR=f"198.51.100.{i}").post(
            "/tra-cuu/", {"ma": CODE, "so": f"000{i}"}
        )
        assert wrong.status_code == 404
    # now even the right digits, from yet another address, are refused for a while
    locked = Client(REMOTE_ADDR="192.0.2.50").post("/tra-cuu/", {"ma": CODE.lower(), "so": "5678"})
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    html = locked.content.decode()
    assert "tạm khóa tra cứu" in html and "Hạn trả kết quả" not in html
    rating = Client(REMOTE_ADDR="192.0.2.51").post("/danh-gia/", {"ma": CODE, "so": "5678"})
    assert rating.status_code == 429
    # another code is untouched; an unknown code locks the same way (the lock reveals nothing)
    other = Client().post("/tra-cuu/", {"ma": "C1-250303-0002", "so": "5678"})
    assert other.status_code == 404
    for _ in range(2):
        Client().post("/tra-cuu/", {"ma": "C1-250303-0002", "so": "5678"})
    assert Client().post("/tra-cuu/", {"ma": "C1-250303-0002", "so": "5678"}).status_code == 429
