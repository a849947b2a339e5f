"""The outbox in the admin: administrators see every row and can make waiting rows due now."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.national.models import OutboxRow
from motcua.national.services import retry_now


@admin.register(OutboxRow)
class OutboxRowAdmin(admin.ModelAdmin):
    """Hộp thư đi đồng bộ Cổng Dịch vụ công quốc gia (read-only, written by the services)."""

    list_display = (
        "dossier",
        "sequence",
        "status_code",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "delivered_at",
    )
    list_filter = ("state", "status_code")
    search_fields = ("dossier__code", "idempotency_key")
    list_select_related = ("dossier",)
    ordering = ("-created_at", "-id")
    date_hierarchy = "created_at"
    actions = ["make_due_now"]
    readonly_fields = [f.name for f in OutboxRow._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Rows are written by the dossier services only."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Read-only (the list action is the only change)."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A row is history: never deleted by hand."""
        return False

    @admin.action(description=gettext_lazy("Gửi lại ngay ở lượt đồng bộ tiếp theo"))
    def make_due_now(self, request: HttpRequest, queryset: QuerySet[OutboxRow]) -> None:
        """Clear the back-off of the selected waiting rows."""
        count = retry_now(queryset)
        self.message_user(
            request,
            _("%(n)d bản ghi sẽ được gửi ở lượt đồng bộ tiếp theo.") % {"n": count},
            messages.SUCCESS,
        )
