from django.contrib import admin

from motcua.audit.models import ObjectChange


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    """Read-only view of the change log."""

    list_display = ("at", "actor_name", "source", "action", "content_type", "object_repr")
    list_filter = ("action", "source", "content_type")
    search_fields = ("object_repr", "actor_name", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
