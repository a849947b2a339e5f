"""Web pages of the dossiers app."""

from django.urls import path  # noqa: F401

app_name = "dossiers"
urlpatterns: list = []
