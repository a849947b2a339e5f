"""Feedback admin: categories with their routing rules and the answer library are
configuration (every change in the change log); items are read here and changed only
through the services (officer pages, API)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.audit.admin import ChangeLoggedAdmin
from motcua.feedback.models import Category, Feedback, FeedbackEntry, RoutingRule, StandardAnswer


class RoutingRuleInline(admin.TabularInline):
    """Quy tắc định tuyến: địa bàn → đơn vị xử lý (để trống địa bàn = mặc định của nhóm)."""

    model = RoutingRule
    extra = 0
    fields = ("area", "handling_unit")
    autocomplete_fields = ("area", "handling_unit")


@admin.register(Category)
class CategoryAdmin(ChangeLoggedAdmin):
    """Nhóm phản ánh, kiến nghị với định mức xử lý và quy tắc định tuyến."""

    list_display = ("code", "name", "parent", "province", "subject", "norm_days", "active")
    list_filter = ("active", "subject", "province")
    search_fields = ("code", "name")
    inlines = (RoutingRuleInline,)
    autocomplete_fields = ("province", "parent")


@admin.register(StandardAnswer)
class StandardAnswerAdmin(ChangeLoggedAdmin):
    """Thư viện câu trả lời mẫu; sửa nội dung thì tăng phiên bản."""

    list_display = ("title", "category", "version", "active", "updated_at")
    list_filter = ("active", "category")
    search_fields = ("title", "text")
    readonly_fields = ("version", "updated_at")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and "text" in form.changed_data:
            obj.version += 1
        super().save_model(request, obj, form, change)


class FeedbackEntryInline(admin.TabularInline):
    """Nhật ký xử lý (chỉ xem)."""

    model = FeedbackEntry
    extra = 0
    fields = ("at", "kind", "actor_name", "unit", "from_state", "to_state", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Phản ánh, kiến nghị (chỉ xem: mọi thay đổi đi qua nghiệp vụ xử lý)."""

    list_display = ("code", "title", "kind", "state", "channel", "unit", "received_at")
    list_filter = ("state", "kind", "channel")
    search_fields = ("code", "title")
    date_hierarchy = "received_at"
    inlines = (FeedbackEntryInline,)
    # Personal data stays off the admin list; the detail shows it masked.
    exclude = ("sender_phone", "sender_id_number")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        names = [
            f.name
            for f in Feedback._meta.concrete_fields
            if f.name not in {"sender_phone", "sender_id_number"}
        ]
        return [*names, "masked_phone", "masked_id_number"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
