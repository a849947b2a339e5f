"""Tasks handed down by higher authorities — nhiệm vụ được giao (assignments.md)."""

from __future__ import annotations

from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "motcua.assignments"
    label = "assignments"
    verbose_name = "Nhiệm vụ được giao"
