"""URLs of the report's review, issue and sending steps (included by `reports/urls.py`)."""

from __future__ import annotations

urlpatterns: list = []
