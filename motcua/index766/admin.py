"""Admin of the 766 index app: the portal-unit mapping is configuration (every change in the
change log); published figures and the early-warning ledger are read here only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.audit.admin import ChangeLoggedAdmin
from motcua.index766.models import EarlyWarning, PortalUnitMapping, PublishedFigure


@admin.register(PortalUnitMapping)
class PortalUnitMappingAdmin(ChangeLoggedAdmin):
    """Ghép đơn vị trên Cổng DVC quốc gia với đơn vị trong motcua."""

    list_display = ("portal_unit_code", "portal_unit_name", "portal_level", "unit", "method")
    list_filter = ("method", "portal_level", "portal_parent_code")
    search_fields = ("portal_unit_code", "portal_unit_name", "unit__name", "unit__code")
    autocomplete_fields = ("unit",)
    readonly_fields = ("portal_unit_id", "updated_at")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A unit chosen here is the administrator's choice."""
        if "unit" in form.changed_data:
            obj.method = "manual" if obj.unit_id else "none"
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by imports and jobs only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PublishedFigure)
class PublishedFigureAdmin(ReadOnlyAdmin):
    """Số liệu Chỉ số 766 đã công bố trên Cổng (nhập bằng `motcua import index-published`)."""

    list_display = (
        "period_code",
        "portal_unit_code",
        "portal_unit_name",
        "received",
        "on_time",
        "ratio",
        "score",
    )
    list_filter = ("period_code", "group", "portal_level")
    search_fields = ("portal_unit_code", "portal_unit_name")


@admin.register(EarlyWarning)
class EarlyWarningAdmin(ReadOnlyAdmin):
    """Cảnh báo sớm đã gửi (mỗi hồ sơ, mỗi bậc, mỗi hạn một lần)."""

    list_display = ("dossier", "rung", "due", "fired_at", "points_at_risk")
    list_filter = ("rung",)
    search_fields = ("dossier__code",)
