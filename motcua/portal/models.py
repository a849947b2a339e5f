"""Applicant accounts of the portal — tài khoản công dân trên Cổng dịch vụ công."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from motcua.lib.privacy import mask_personal
from motcua.portal.choices import AppointmentKind, AppointmentState


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


class Appointment(models.Model):
    """A booked visit — lịch hẹn: a slot at a one-stop desk, or a home visit from its staff.

    The applicant books a counter slot (đặt lịch nộp hồ sơ tại quầy) or asks the desk to
    receive the dossier at home (tiếp nhận hồ sơ tại nhà). Every change goes through
    `motcua.portal.appointments`; the state moves once, from `booked` to cancelled,
    received (the dossier it became is kept) or no-show.
    """

    code = models.CharField("mã lịch hẹn", max_length=16, unique=True)
    kind = models.CharField("hình thức", max_length=8, choices=AppointmentKind.choices)
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name="thủ tục",
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="nơi tiếp nhận",
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    start = models.DateTimeField("giờ hẹn", db_index=True)
    name = models.CharField("họ và tên", max_length=255)
    phone = models.CharField("số điện thoại", max_length=20)
    email = models.EmailField("thư điện tử", blank=True)
    id_number = models.CharField("số định danh cá nhân", max_length=20, blank=True)
    address = models.CharField("địa chỉ tiếp nhận tại nhà", max_length=255, blank=True)
    note = models.TextField("ghi chú", blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản người đặt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    state = models.CharField(
        "trạng thái",
        max_length=12,
        choices=AppointmentState.choices,
        default=AppointmentState.BOOKED,
        db_index=True,
    )
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name="hồ sơ đã tiếp nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment",
    )
    cancel_reason = models.CharField("lý do huỷ", max_length=255, blank=True)
    created_at = models.DateTimeField("đặt lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    cancelled_at = models.DateTimeField("huỷ lúc", null=True, blank=True)
    received_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    no_show_at = models.DateTimeField("ghi vắng mặt lúc", null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["unit", "start"], name="appointment_unit_start")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=AppointmentKind.HOME) | ~Q(address=""),
                name="appointment_home_has_address",
            ),
        ]
        verbose_name = "lịch hẹn"
        verbose_name_plural = "lịch hẹn"

    def __str__(self) -> str:
        return f"{self.code} ({self.get_kind_display()})"
