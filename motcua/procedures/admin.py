"""Catalogue admin: every save versioned and change-logged; versions are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from motcua.audit.admin import ChangeLoggedAdmin
from motcua.procedures.models import Component, Field, Procedure, ProcedureVersion, ProcessStep
from motcua.procedures.services import (
    ProcedureError,
    procedure_state,
    process_problem,
    publish_procedure,
    record_procedure_change,
)


class ComponentInline(admin.TabularInline):
    """Thành phần hồ sơ."""

    model = Component
    extra = 0
    fields = (
        "order",
        "name",
        "originals",
        "certified_copies",
        "copies",
        "required",
        "form_name",
        "condition",
    )


class StepFormSet(BaseInlineFormSet):
    """Steps of the internal process: refuses a published process that does not add up."""

    def clean(self) -> None:
        super().clean()
        procedure = self.instance
        if not procedure.published:
            return
        budgets = [
            form.cleaned_data["budget_minutes"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("budget_minutes") is not None
        ]
        problem = process_problem(procedure, budgets)
        if problem:
            raise ValidationError(
                f"Không thể công khai thủ tục: {problem}. Hãy sửa thời gian các bước hoặc "
                "bỏ chọn “đã công khai”."
            )


class ProcessStepInline(admin.TabularInline):
    """Quy trình nội bộ: các bước và thời gian (phút làm việc) của từng bước."""

    model = ProcessStep
    formset = StepFormSet
    extra = 0
    fields = ("order", "name", "unit", "role", "budget_minutes")
    autocomplete_fields = ("unit",)


class VersionInline(admin.TabularInline):
    """Frozen versions: a dossier keeps the version it was received under, so never edited."""

    model = ProcedureVersion
    extra = 0
    fields = ("number", "created_at")
    readonly_fields = ("number", "created_at")
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Field)
class FieldAdmin(ChangeLoggedAdmin):
    """Lĩnh vực."""

    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Procedure)
class ProcedureAdmin(ChangeLoggedAdmin):
    """Procedures: the row, components and steps are saved, then versioned and logged once."""

    list_display = (
        "code",
        "name",
        "level",
        "field",
        "time_limit_text",
        "fee",
        "online_level",
        "published",
        "version",
    )
    list_filter = ("published", "level", "online_level", "time_limit_unit", "field")
    search_fields = ("code", "name", "search_text")
    autocomplete_fields = ("field", "competent_units")
    readonly_fields = ("version", "updated_at")
    inlines = [ComponentInline, ProcessStepInline, VersionInline]
    actions = ["publish_selected"]

    def save_model(self, request: HttpRequest, obj: Procedure, form: Any, change: bool) -> None:
        """Save the row only; the change log row is written once inlines are saved."""
        previous = Procedure.objects.filter(pk=obj.pk).first() if change and obj.pk else None
        obj._state_before = procedure_state(previous) if previous is not None else None  # type: ignore[attr-defined]
        obj.save()

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Components and steps are part of the procedure's versioned content: no own rows."""
        formset.save()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """After competent units, components and steps are saved: version and log."""
        super().save_related(request, form, formsets, change)
        procedure = form.instance
        try:
            record_procedure_change(
                procedure,
                before=getattr(procedure, "_state_before", None),
                actor=request.user,
                source="admin",
            )
        except ProcedureError as exc:  # the step formset checks first; this is the backstop
            raise ValidationError(exc.message) from exc

    @admin.action(description="Công khai các thủ tục đã chọn")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Procedure]) -> None:
        """Publish each selected procedure whose internal process adds up."""
        done = 0
        for procedure in queryset:
            try:
                publish_procedure(procedure, actor=request.user, source="admin")
                done += 1
            except ProcedureError as exc:
                self.message_user(
                    request,
                    f"{procedure.code}: không thể công khai — {exc.message}",
                    messages.ERROR,
                )
        if done:
            self.message_user(request, f"Đã công khai {done} thủ tục.", messages.SUCCESS)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    """Frozen versions, read-only: what dossiers were received under."""

    list_display = ("procedure", "number", "created_at")
    search_fields = ("procedure__code", "procedure__name")
    readonly_fields = ("procedure", "number", "created_at", "data")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
