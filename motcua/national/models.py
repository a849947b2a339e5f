"""The outbox of dossier state changes for the national portal — hộp thư đi đồng bộ."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.national.choices import NationalStatus, OutboxState


class OutboxRow(models.Model):
    """One dossier state change to tell the national portal — bản ghi chờ đồng bộ.

    Written in the same transaction as the change (`services.record_state_change`), numbered
    per dossier (`sequence` 1, 2, …) and delivered in that order by `motcua sync national`.
    `idempotency_key` travels with every attempt so that the portal applies a row once even
    when it is sent again after a crash between the portal's answer and our mark.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="national_rows")
    sequence = models.PositiveIntegerField("số thứ tự")
    event = models.ForeignKey(
        DossierEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event_kind = models.CharField("sự kiện", max_length=64, blank=True)
    dossier_state = models.CharField("trạng thái hồ sơ", max_length=24)
    status_code = models.PositiveSmallIntegerField(
        "mã trạng thái quốc gia", choices=NationalStatus.choices
    )
    payload = models.JSONField("dữ liệu gửi", default=dict)
    idempotency_key = models.UUIDField("khoá chống gửi trùng", default=uuid.uuid4, unique=True)
    created_at = models.DateTimeField("tạo lúc")

    state = models.CharField(
        "trạng thái gửi",
        max_length=12,
        choices=OutboxState.choices,
        default=OutboxState.PENDING,
    )
    skip_reason = models.CharField("lý do không gửi", max_length=255, blank=True)
    attempts = models.PositiveIntegerField("số lần gửi", default=0)
    next_attempt_at = models.DateTimeField("gửi lại lúc", null=True, blank=True)
    last_attempt_at = models.DateTimeField("lần gửi gần nhất", null=True, blank=True)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    delivered_at = models.DateTimeField("gửi thành công lúc", null=True, blank=True)

    class Meta:
        ordering = ["dossier", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="national_row_sequence"),
        ]
        indexes = [
            # The runner's scan: pending rows due now, oldest first.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(state="pending"),
                name="national_row_due",
            ),
            # The "synchronised" test per dossier (selectors.synchronised_q).
            models.Index(fields=["dossier", "state"], name="national_row_dossier_state"),
        ]
        verbose_name = "bản ghi đồng bộ Cổng quốc gia"
        verbose_name_plural = "hộp thư đi đồng bộ Cổng quốc gia"

    def __str__(self) -> str:
        return f"{self.dossier} #{self.sequence} ({self.status_code})"
