"""Tasks admin: reminder ladders are configuration (in the change log); documents and tasks
are read here and changed only through the services (pages, API, import)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.assignments.models import ReminderLadder, SourceDocument, Task, TaskEvent
from motcua.audit.admin import ChangeLoggedAdmin


@admin.register(ReminderLadder)
class ReminderLadderAdmin(ChangeLoggedAdmin):
    """Thang nhắc hạn theo cơ quan giao (để trống mã = thang mặc định)."""

    list_display = ("issuer_code", "rungs")


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SourceDocument)
class SourceDocumentAdmin(_ReadOnly):
    """Văn bản giao nhiệm vụ (chỉ xem)."""

    list_display = ("number", "issued_on", "issuer_authority", "issuer_unit", "doc_type")
    search_fields = ("number", "summary")


class TaskEventInline(admin.TabularInline):
    model = TaskEvent
    extra = 0
    fields = ("at", "kind", "actor_name", "from_status", "to_status", "note")
    readonly_fields = fields
    can_delete = False


@admin.register(Task)
class TaskAdmin(_ReadOnly):
    """Nhiệm vụ (chỉ xem: mọi thay đổi đi qua nghiệp vụ)."""

    list_display = ("code", "title", "lead_unit", "status", "due_on", "assigned_on")
    list_filter = ("status", "deadline_kind")
    search_fields = ("code", "title")
    inlines = (TaskEventInline,)
