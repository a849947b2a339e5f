"""Users and their memberships (user, unit, role, validity)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from motcua.lib.privacy import mask_personal
from motcua.people.choices import Role
from motcua.units.models import Unit, valid_on_q


class User(AbstractUser):
    """A person who signs in — người dùng (cán bộ, công chức)."""

    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    phone = models.CharField("số điện thoại", max_length=20, blank=True)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    @property
    def masked_phone(self) -> str:
        """The phone number with all but its last three digits hidden."""
        return mask_personal(self.phone)


class MembershipQuerySet(models.QuerySet["Membership"]):
    """Queries over memberships."""

    def active_on(self, day: dt.date) -> MembershipQuerySet:
        """Memberships in force on `day`."""
        return self.filter(valid_on_q(day))

    def visible_to(self, user: object) -> MembershipQuerySet:
        """The user's own memberships and those of units in the user's scope."""
        from motcua.people.scope import visible_unit_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        ids = visible_unit_ids(user)
        if ids is None:
            return self.all()
        return self.filter(Q(user=user) | Q(unit_id__in=ids))


class Membership(models.Model):
    """A person's role in a unit for a period — phân công vai trò tại đơn vị."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("vai trò", max_length=24, choices=Role.choices)
    valid_from = models.DateField("từ ngày", null=True, blank=True)
    valid_to = models.DateField("đến ngày", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__username", "unit__code", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role", "valid_from"], name="membership_once"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="membership_valid_range",
            ),
        ]
        verbose_name = "vai trò tại đơn vị"
        verbose_name_plural = "vai trò tại đơn vị"

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit.name}"


class GuessCounter(models.Model):
    """One fixed window of a guessing budget — bộ đếm số lần thử (sign-in, look-ups by code).

    Kept in the database so that every worker process and every application server counts
    into the same row (motcua/lib/ratelimit.py); `key` is a digest, never the address, the
    account name or the code in clear. Rows whose window has ended are purged as hits come.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window"], name="people_guesscounter_unique_window"
            )
        ]
        verbose_name = "bộ đếm số lần thử"
        verbose_name_plural = "bộ đếm số lần thử"

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]}… {self.count}"
