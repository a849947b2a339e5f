from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from motcua.audit.admin import ChangeLoggedAdmin
from motcua.people.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, ChangeLoggedAdmin):
    """People; passwords never reach the change log, phones are masked there."""

    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("motcua", {"fields": ("full_name", "phone")}),
    )
    list_display = ("username", "full_name", "email", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ChangeLoggedAdmin):
    """Roles held in units, change-logged."""

    list_display = ("user", "unit", "role", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "unit__name", "unit__code")
    autocomplete_fields = ("user", "unit")
