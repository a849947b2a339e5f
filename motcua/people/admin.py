import contextlib

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.audit.admin import ChangeLoggedAdmin
from motcua.people.models import Membership, User
from motcua.people.totp import reset_second_factor

# TOTP devices are changed only through the audited services (motcua/people/totp.py): the
# plugin's own admin page (which shows the secret keys and deletes without a log) is removed.
with contextlib.suppress(NotRegistered):
    admin.site.unregister(TOTPDevice)


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
    actions = ["reset_totp"]

    @admin.action(description=gettext_lazy("Đặt lại xác thực hai lớp (mất điện thoại)"))
    def reset_totp(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Remove the selected users' TOTP devices; each reset is written to the change log."""
        done = 0
        for user in queryset:
            if reset_second_factor(user=user, actor=request.user, source="admin"):
                done += 1
        messages.success(
            request, _("Đã đặt lại xác thực hai lớp cho %(count)s người dùng.") % {"count": done}
        )


@admin.register(Membership)
class MembershipAdmin(ChangeLoggedAdmin):
    """Roles held in units, change-logged."""

    list_display = ("user", "unit", "role", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "unit__name", "unit__code")
    autocomplete_fields = ("user", "unit")
