"""Read-only outbox in the admin (masked recipients; the raw address is never shown)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.notices.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """The notices sent and waiting."""

    list_display = ("created_at", "channel", "recipient", "reference", "subject", "state")
    list_filter = ("channel", "state")
    search_fields = ("reference",)
    exclude = ("address",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Notices are written by the services only."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Read-only."""
        return False
