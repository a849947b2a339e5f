"""Change log rows: one per change to a configuration object."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.lib.scoping import can


class ChangeAction(models.TextChoices):
    """What happened to the object."""

    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Cập nhật")
    DELETE = "delete", _("Xoá")


class ObjectChangeQuerySet(models.QuerySet["ObjectChange"]):
    """Queries over the change log."""

    def visible_to(self, user: object) -> ObjectChangeQuerySet:
        """The whole log for those who may configure; nothing for anyone else."""
        return self if can(user, "configure") else self.none()


class ObjectChange(models.Model):
    """One change to one configuration object — nhật ký thay đổi cấu hình."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept even if the account is later deleted: the log must still say who.
    actor_name = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=20, blank=True)  # web, api, admin, cli, import, demo
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=255)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    objects = ObjectChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]
        verbose_name = "thay đổi"
        verbose_name_plural = "nhật ký thay đổi"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '—'} {self.action} {self.object_repr}"

    @property
    def changed_fields(self) -> list[str]:
        """Names of the fields whose value differs between before and after."""
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


class IdempotencyKey(models.Model):
    """A write request already received once — khoá chống gửi trùng.

    One row per (user, key): the API's `Idempotency-Key` header, or the one-time token of an
    HTML form. While `completed_at` is empty the first request is still running; afterwards
    the row holds what it answered, and a repeat gets that answer instead of acting twice.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    # sha256 of the request body (API); empty for form tokens, which are one per rendered form.
    fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.JSONField(null=True, blank=True)
    location = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="audit_idempotency_user_key")
        ]
        verbose_name = "khoá chống gửi trùng"
        verbose_name_plural = "khoá chống gửi trùng"

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.key[:16]}"


class ChangeStamp(models.Model):
    """A random token replaced by a database trigger on every write to a group of tables.

    Processes keep what they derive from those tables (the unit graph, the working calendars)
    for as long as the token they read with it is still current (`motcua.audit.stamps`).
    """

    name = models.CharField(primary_key=True, max_length=40)
    token = models.CharField(max_length=64)

    class Meta:
        verbose_name = "dấu thay đổi"
        verbose_name_plural = "dấu thay đổi"

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
