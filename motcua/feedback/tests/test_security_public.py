"""Public feedback surfaces under attack: IPv6 rotation, forged cross-site posts, API scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from motcua.conftest import Province
from motcua.feedback import public_views
from motcua.feedback.api.views import ACTIONS
from motcua.feedback.choices import FeedbackState
from motcua.feedback.models import Category, Feedback, FeedbackSurvey, FeedbackVote
from motcua.feedback.tests.factories import (
    advance,
    local,
    make_categories,
    make_feedback,
    make_staff,
)
from motcua.feedback.tests.test_public import FOLLOW, FOREVER, published
from motcua.lib.ratelimit import Limit

S = FeedbackState
# Every field any action body may require, so that only the scope can refuse the call.
ACTION_BODY = {"reason": "x", "request": "x", "text": "x", "official": "x", "public": "x"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def cats(province: Province) -> dict[str, Category]:
    return make_categories(province)


@pytest.fixture
def staff(province: Province) -> dict[str, Any]:
    return make_staff(province)


def test_follow_limit_counts_an_ipv6_network_not_each_address(
    client: Client, province: Province, cats: dict[str, Category], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(public_views, "FOLLOW_LIMIT", Limit("test-follow", 3, FOREVER))
    item = make_feedback(unit=province.commune_a, at=local(2025, 3, 3, 9))
    for host, digits in ((1, "0001"), (2, "0002"), (3, "0003")):
        data = {"code": item.code, "last4": digits}
        assert client.post(FOLLOW, data, REMOTE_ADDR=f"2001:db8:1:2::{host}").status_code == 404
    # A fresh address of the same /64 guessing on is held back, even with the right digits.
    data = {"code": item.code, "last4": "5678"}
    response = client.post(FOLLOW, data, REMOTE_ADDR="2001:db8:1:2:abcd::9")
    assert response.status_code == 429
    assert client.post(FOLLOW, data, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302


def test_an_ipv6_network_votes_once_per_browser(
    province: Province, cats: dict[str, Category], staff: dict[str, Any]
) -> None:
    item = published(staff, province)
    url = reverse("feedback_public:vote", args=[item.code])
    for host in range(1, 6):
        Client().post(url, {"value": "1"}, REMOTE_ADDR=f"2001:db8:5:6::{host}")
    item.refresh_from_db()
    assert (item.likes, FeedbackVote.objects.count()) == (1, 1)


# -- cross-site posts --------------------------------------------------------------------------


def _csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_public_posts_without_a_csrf_token_are_refused(
    province: Province, cats: dict[str, Category], staff: dict[str, Any]
) -> None:
    item = published(staff, province)
    vote = reverse("feedback_public:vote", args=[item.code])
    assert _csrf_client().post(vote, {"value": "1"}).status_code == 403
    # A session that proved it follows the item still needs the token to supplement or answer.
    client = _csrf_client()
    session = client.session
    session[public_views.SESSION_FOLLOWED] = [item.code]
    session.save()
    survey = {"action": "survey", "code": item.code, "satisfied": "0", "comment": "Giả"}
    assert client.post(FOLLOW, survey).status_code == 403
    pending = make_feedback(unit=province.commune_a, at=local(2025, 3, 3, 9))
    pending = advance(pending, S.SUPPLEMENT_REQUESTED, actor=staff["lead"], at=local(2025, 3, 4))
    session[public_views.SESSION_FOLLOWED] = [pending.code]
    session.save()
    supplement = {"action": "supplement", "code": pending.code, "text": "Giả mạo"}
    assert client.post(FOLLOW, supplement).status_code == 403
    assert _csrf_client().post(reverse("feedback_public:submit"), {}).status_code == 403
    assert not FeedbackVote.objects.exists() and not FeedbackSurvey.objects.exists()
    pending.refresh_from_db()
    assert pending.state == S.SUPPLEMENT_REQUESTED


# -- the API's scope ---------------------------------------------------------------------------


def test_another_units_officer_gets_404_on_every_route(
    province: Province, cats: dict[str, Category], staff: dict[str, Any]
) -> None:
    item = make_feedback(unit=province.commune_a, at=local(2025, 3, 3, 9))
    timeline = list(item.events.values_list("kind", flat=True))
    outsider = APIClient()
    outsider.force_authenticate(staff["other"])  # specialist of C2
    base = f"/api/v1/feedback/{item.code}/"
    assert outsider.get(base).status_code == 404
    assert outsider.get(f"{base}events/").status_code == 404
    for spec in ACTIONS:
        response = outsider.post(f"{base}actions/{spec.slug}/", ACTION_BODY, format="json")
        assert response.status_code == 404, spec.slug
    fresh = Feedback.objects.get(pk=item.pk)
    assert (fresh.state, fresh.lock_version) == (item.state, item.lock_version)
    assert list(fresh.events.values_list("kind", flat=True)) == timeline
