"""Administrators edit the calendar overlay here; every save and delete is change-logged."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone

from motcua.workcalendar.models import CalendarEntry, WorkingHours
from motcua.workcalendar.services import (
    delete_calendar_entry,
    delete_working_hours,
    save_calendar_entry,
    save_working_hours,
)

REASON_HELP = "Bắt buộc khi sửa hoặc xoá một ngày đã qua; được ghi vào nhật ký thay đổi."


class CalendarEntryAdminForm(forms.ModelForm):
    """The entry plus a reason, required when the date (old or new) is in the past."""

    reason = forms.CharField(
        label="lý do thay đổi",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )

    class Meta:
        model = CalendarEntry
        fields = ["date", "kind", "name", "document", "status", "note", "unit"]

    def clean(self) -> dict[str, Any]:
        """Refuse an edit of a past date without a reason."""
        data = super().clean() or {}
        today = timezone.localdate()
        dates = [
            d for d in [data.get("date"), self.instance.date if self.instance.pk else None] if d
        ]
        if any(d < today for d in dates) and not (data.get("reason") or "").strip():
            self.add_error("reason", "Phải ghi lý do khi sửa một ngày đã qua.")
        return data


@admin.register(CalendarEntry)
class CalendarEntryAdmin(admin.ModelAdmin):
    """Swapped days off, makeup Saturdays and units' local days off."""

    form = CalendarEntryAdminForm
    list_display = ("date", "kind", "name", "document", "status", "unit")
    list_filter = ("kind", "status", ("unit", admin.EmptyFieldListFilter))
    search_fields = ("name", "document", "note", "unit__code")
    date_hierarchy = "date"
    raw_id_fields = ("unit",)
    readonly_fields = ("created_at", "updated_at")

    delete_confirmation_template = "workcalendar/admin/delete_confirmation.html"

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        """No bulk delete: each deletion is confirmed (with its reason) on its own."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Ask for a reason; refuse to delete a past date without one."""
        obj = self.get_object(request, object_id)
        past = obj is not None and obj.date < timezone.localdate()
        if request.method == "POST" and request.POST.get("post") and past and not _reason(request):
            self.message_user(request, "Phải ghi lý do khi xoá một ngày đã qua.", messages.ERROR)
            return HttpResponseRedirect(request.path)
        context = {**(extra_context or {}), "reason_required": past}
        return super().delete_view(request, object_id, context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Save through the service so the change log gets before/after and the reason."""
        save_calendar_entry(
            obj, actor=request.user, reason=form.cleaned_data.get("reason", ""), source="admin"
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        """Delete through the service (logged with the reason)."""
        delete_calendar_entry(obj, actor=request.user, reason=_reason(request), source="admin")


def _reason(request: HttpRequest) -> str:
    # The admin's delete confirmation has no form field; a reason can be passed as ?reason=.
    return request.POST.get("reason") or request.GET.get("reason") or ""


class WorkingHoursAdminForm(forms.ModelForm):
    """Working hours plus a reason for the change log."""

    reason = forms.CharField(
        label="lý do thay đổi", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = WorkingHours
        fields = [
            "unit",
            "valid_from",
            "valid_to",
            "morning_start",
            "morning_end",
            "afternoon_start",
            "afternoon_end",
            "document",
        ]


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    """Per-unit working hours (must total 8 hours)."""

    form = WorkingHoursAdminForm
    list_display = (
        "unit",
        "valid_from",
        "valid_to",
        "morning_start",
        "morning_end",
        "afternoon_start",
        "afternoon_end",
    )
    raw_id_fields = ("unit",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Save through the service (validated, logged)."""
        save_working_hours(
            obj, actor=request.user, reason=form.cleaned_data.get("reason", ""), source="admin"
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        """Delete through the service (logged)."""
        delete_working_hours(obj, actor=request.user, reason=_reason(request), source="admin")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """Bulk delete, one logged service call per row."""
        for obj in queryset:
            self.delete_model(request, obj)
