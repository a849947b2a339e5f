from django.contrib import admin

from motcua.audit.models import ObjectChange


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    """Read-only view of the change log."""

    list_display = ("at", "actor_name", "source", "action", "content_type", "object_repr")
    list_filter = ("action", "source", "content_type")
    search_fields = ("object_repr", "actor_name", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChangeLoggedAdmin(admin.ModelAdmin):
    """Admin whose saves and deletions are written to the change log with before/after."""

    def save_model(self, request, obj, form, change):
        from django.db import transaction

        from motcua.audit.services import record_change, snapshot

        with transaction.atomic():
            before = None
            if change and obj.pk is not None:
                previous = type(obj).objects.filter(pk=obj.pk).first()
                before = snapshot(previous) if previous is not None else None
            super().save_model(request, obj, form, change)
            record_change(
                obj=obj,
                action="update" if change else "create",
                actor=request.user,
                before=before,
                after=snapshot(obj),
                source="admin",
            )

    def delete_model(self, request, obj):
        from django.db import transaction

        from motcua.audit.services import record_change, snapshot

        with transaction.atomic():
            before = snapshot(obj)
            record_change(
                obj=obj, action="delete", actor=request.user, before=before, source="admin"
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        """Inline rows (memberships of a user, names of a unit) are logged one by one."""
        from django.db import transaction

        from motcua.audit.services import record_change, snapshot

        with transaction.atomic():
            befores = {}
            for inline_form in formset.initial_forms:
                instance = inline_form.instance
                if instance.pk is not None:
                    previous = type(instance).objects.filter(pk=instance.pk).first()
                    if previous is not None:
                        befores[instance.pk] = snapshot(previous)
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                record_change(
                    obj=obj,
                    action="delete",
                    actor=request.user,
                    before=snapshot(obj),
                    source="admin",
                )
                obj.delete()
            for obj in instances:
                is_new = obj.pk is None
                obj.save()
                record_change(
                    obj=obj,
                    action="create" if is_new else "update",
                    actor=request.user,
                    before=None if is_new else befores.get(obj.pk),
                    after=snapshot(obj),
                    source="admin",
                )
            formset.save_m2m()
