"""Applicant accounts of the portal — tài khoản công dân trên Cổng dịch vụ công."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from motcua.lib.privacy import mask_personal


class ApplicantProfile(models.Model):
    """An applicant's account details — hồ sơ tài khoản người nộp (công dân, tổ chức).

    A user with a profile is an applicant account: the portal's password backend signs in
    only such users, by e-mail or phone. `verified_via` names the identity provider that
    vouched for the details (`password`: self-declared at registration); a national e-ID
    login (VNeID) will fill `e_id_subject` with its stable subject (motcua.portal.identity).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applicant_profile"
    )
    # Stored normalised: phone as 0xxxxxxxxx, e-mail lower-cased; "" when not given.
    phone = models.CharField("số điện thoại", max_length=20, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    id_number = models.CharField("số định danh cá nhân", max_length=20, blank=True)
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    verified_via = models.CharField("xác thực qua", max_length=32, default="password")
    assurance_level = models.PositiveSmallIntegerField("mức độ xác thực", default=1)
    e_id_subject = models.CharField("mã định danh tại nhà cung cấp", max_length=128, blank=True)
    verified_at = models.DateTimeField("thời điểm xác thực", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="applicant_phone_once"
            ),
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="applicant_email_once"
            ),
            models.UniqueConstraint(
                fields=["verified_via", "e_id_subject"],
                condition=~Q(e_id_subject=""),
                name="applicant_identity_once",
            ),
            models.CheckConstraint(
                condition=~Q(phone="", email="", e_id_subject=""),
                name="applicant_has_contact",
            ),
        ]
        verbose_name = "tài khoản công dân"
        verbose_name_plural = "tài khoản công dân"

    def __str__(self) -> str:
        return f"{self.user} ({self.masked_contact})"

    @property
    def masked_contact(self) -> str:
        """Phone (or e-mail) with most characters hidden, for logs and lists."""
        if self.phone:
            return mask_personal(self.phone)
        name, _, domain = self.email.partition("@")
        return f"{name[:2]}***@{domain}" if domain else ""
