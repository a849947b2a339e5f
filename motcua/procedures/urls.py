"""Web pages of the procedures app."""

from django.urls import path  # noqa: F401

app_name = "procedures"
urlpatterns: list = []
