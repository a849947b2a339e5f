from django.contrib import admin

from motcua.audit.admin import ChangeLoggedAdmin
from motcua.units.models import Unit, UnitName, UnitSuccession


class UnitNameInline(admin.TabularInline):
    model = UnitName
    extra = 0


@admin.register(Unit)
class UnitAdmin(ChangeLoggedAdmin):
    """Units, with every edit in the change log."""

    list_display = ("code", "name", "level", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("level", "kind", "has_one_stop")
    search_fields = ("code", "name", "admin_code")
    autocomplete_fields = ("parent",)
    inlines = [UnitNameInline]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(ChangeLoggedAdmin):
    """Successor links across reorganisations."""

    list_display = (
        "predecessor",
        "successor",
        "effective_date",
        "kind",
        "kind_text",
        "is_principal",
        "legal_basis",
    )
    list_filter = ("kind", "effective_date")
    search_fields = ("predecessor__name", "successor__name", "predecessor__code", "legal_basis")
    autocomplete_fields = ("predecessor", "successor")
