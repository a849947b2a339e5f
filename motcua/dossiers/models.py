"""Dossiers, their timeline, clock ledger (pauses, extension), steps, codes and files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from motcua.dossiers.choices import (
    ONLINE_PAYMENT_METHODS,
    RATING_SCALE_MAX,
    Channel,
    Delivery,
    FileKind,
    IdentitySource,
    PauseKind,
    PaymentMethod,
    RuleVersion,
    State,
    SubmittedBy,
)
from motcua.lib import anyarray  # noqa: F401 — registers the `any_of` lookup
from motcua.lib.privacy import mask_personal
from motcua.lib.scoping import visible_unit_ids
from motcua.lib.vntext import fold
from motcua.procedures.choices import TimeLimitUnit
from motcua.procedures.models import Component, Field, Procedure, ProcedureVersion
from motcua.units.models import Unit


class DossierQuerySet(models.QuerySet["Dossier"]):
    """Queries over dossiers."""

    def visible_to(self, user: object) -> DossierQuerySet:
        """Dossiers the user may see: received at, decided by, or routed through their units."""
        ids = visible_unit_ids(user)
        if ids is None:
            return self.all()
        if not ids:
            return self.none()
        # Only steps at a unit other than the receiving and competent ones widen the scope
        # (`StepRecord.widens_scope`): few rows, so PostgreSQL gets them as an array and ORs
        # the indexes of every arm (`lib/anyarray.py`; issue 16, docs/performance.md).
        route = StepRecord.objects.filter(unit_id__in=ids, widens_scope=True).values("dossier_id")
        return self.filter(
            Q(receiving_unit_id__in=ids)
            | Q(competent_unit_id__in=ids)
            | Q(current_unit_id__in=ids)
            | Q(pk__any_of=route)
        )


class Dossier(models.Model):
    """An applicant's request under one procedure — hồ sơ thủ tục hành chính."""

    code = models.CharField("mã hồ sơ", max_length=80, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers")
    procedure_version = models.ForeignKey(
        ProcedureVersion, on_delete=models.PROTECT, related_name="dossiers"
    )
    # Frozen at receipt: editing the catalogue never changes past promises or statistics.
    field = models.ForeignKey(Field, null=True, blank=True, on_delete=models.PROTECT)
    time_limit_amount = models.PositiveIntegerField(null=True, blank=True)
    time_limit_unit = models.CharField(max_length=16, choices=TimeLimitUnit.choices)
    same_day_cutoff = models.TimeField(null=True, blank=True)
    rule_version = models.CharField(max_length=12, choices=RuleVersion.choices)

    state = models.CharField("trạng thái", max_length=24, choices=State.choices)
    channel = models.CharField("kênh nộp", max_length=8, choices=Channel.choices)
    submitted_by = models.CharField(
        "người nộp", max_length=24, choices=SubmittedBy.choices, default=SubmittedBy.APPLICANT
    )
    # Indexes (issue 16): no single-column index where a composite index below starts with
    # the column, and none on submission_point (never filtered on): 16 instead of 21.
    submission_point = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    receiving_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name="nơi tiếp nhận",
        db_index=False,  # (receiving_unit, state)
    )
    competent_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_dossiers",
        verbose_name="cơ quan giải quyết",
        db_index=False,  # (competent_unit, state)
    )
    current_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_dossiers",
        db_index=False,  # (current_unit, state, statutory_due)
    )
    current_step = models.PositiveIntegerField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="công chức được giao",
        db_index=False,  # dossier_assignee: only rows that have one
    )
    assigned_at = models.DateTimeField("thời điểm giao", null=True, blank=True)

    applicant_name = models.CharField("người nộp hồ sơ", max_length=255)
    applicant_id_number = models.CharField("số định danh", max_length=20, blank=True)
    applicant_phone = models.CharField("số điện thoại", max_length=20, blank=True)
    applicant_email = models.EmailField("thư điện tử", blank=True)
    applicant_address = models.CharField("địa chỉ", max_length=255, blank=True)
    owner_name = models.CharField("chủ hồ sơ", max_length=255, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # dossier_applicant_user: only rows that have one
    )

    submitted_at = models.DateTimeField("thời điểm nộp", null=True, blank=True)
    # Indexed by `dossier_received_cover` (received_at, + included columns on PostgreSQL).
    received_at = models.DateTimeField("thời điểm tiếp nhận", null=True, blank=True)
    finished_at = models.DateTimeField("thời điểm kết thúc", null=True, blank=True, db_index=True)
    returned_at = models.DateTimeField("thời điểm trả kết quả", null=True, blank=True)
    delivery = models.CharField(
        "hình thức trả kết quả", max_length=12, choices=Delivery.choices, blank=True
    )
    postal_consignment = models.CharField("số hiệu bưu gửi", max_length=40, blank=True)
    postal_delivered_on = models.DateField("ngày phát bưu gửi", null=True, blank=True)
    # Folded (lower case, no diacritics) code, names, phone and ID number: the queue's search
    # box matches "le hong huyen", "TRƯƠNG" and "0912" against this one column.
    search_text = models.TextField(blank=True, default="")
    # Derived from the clock ledger by the services on every clock event (never edited by
    # hand); kept on the row so that lists and statistics read them from an index.
    statutory_due = models.DateTimeField("hạn giải quyết", null=True, blank=True, db_index=True)
    promised_due = models.DateTimeField("ngày hẹn trả", null=True, blank=True)
    remaining_minutes = models.PositiveIntegerField(null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    # A clock that starts at an event other than receipt ("kể từ ngày nhận được văn bản …"):
    # the event as written, frozen at receipt, and the instant an officer recorded it.
    clock_start_event = models.CharField(
        "sự kiện bắt đầu tính thời hạn", max_length=255, blank=True
    )
    clock_started_at = models.DateTimeField(
        "thời điểm bắt đầu tính thời hạn", null=True, blank=True
    )
    # The procedure's conditional ceiling ("trường hợp phức tạp … không quá 60 ngày"), invoked.
    time_limit_extended_at = models.DateTimeField(
        "thời điểm áp dụng thời hạn tối đa", null=True, blank=True
    )
    time_limit_extension_reason = models.TextField("lý do áp dụng thời hạn tối đa", blank=True)
    # The fee computed on the date of receipt from the dossier's counts (None: unknown).
    fee_amount = models.PositiveBigIntegerField(
        "phí, lệ phí phải nộp (đồng)", null=True, blank=True
    )
    fee_detail = models.JSONField("cách tính phí, lệ phí", default=dict, blank=True)
    # 766 digitization facts (statistics.md §5.3).
    identity_source = models.CharField(
        "xác thực danh tính", max_length=16, blank=True, choices=IdentitySource.choices
    )
    edata_linked = models.BooleanField("liên kết kho dữ liệu điện tử của công dân", default=False)
    # Bumped by every service write: two officers acting at once cannot both succeed.
    lock_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["receiving_unit", "state"]),
            models.Index(fields=["competent_unit", "state"]),
            models.Index(fields=["current_unit", "state", "statutory_due"]),
            models.Index(fields=["state", "statutory_due"]),
            # Statistics: the handling unit (competent, else receiving) and the receipt
            # instant, matching the expression the statistics filter on (docs/performance.md).
            models.Index(
                Coalesce("competent_unit", "receiving_unit"),
                "received_at",
                name="dossier_handler_received",
            ),
            # Statistics over a whole province read these columns only (PostgreSQL uses the
            # included columns for an index-only scan; SQLite keeps the key column only).
            models.Index(
                fields=["received_at"],
                include=[
                    "finished_at",
                    "statutory_due",
                    "state",
                    "channel",
                    "competent_unit",
                    "receiving_unit",
                ],
                name="dossier_received_cover",
            ),
            # Walk-ins and legacy imports have no account, an unassigned dossier no officer:
            # such rows need no index entry (one B-tree insert less per imported row).
            models.Index(
                fields=["assignee"],
                condition=models.Q(assignee__isnull=False),
                name="dossier_assignee",
            ),
            models.Index(
                fields=["applicant_user"],
                condition=models.Q(applicant_user__isnull=False),
                name="dossier_applicant_user",
            ),
        ]
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"

    def __str__(self) -> str:
        return self.code or f"hồ sơ nháp #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep `search_text` in step with the fields it folds."""
        self.search_text = self.folded_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def folded_search_text(self) -> str:
        """The text the queue's search box matches (see `search_text`)."""
        return dossier_search_text(
            self.code,
            self.applicant_name,
            self.owner_name,
            self.applicant_phone,
            self.applicant_id_number,
        )

    @property
    def masked_phone(self) -> str:
        """Phone with all but the last three digits hidden."""
        return mask_personal(self.applicant_phone)

    @property
    def masked_id_number(self) -> str:
        """ID number with all but the last three digits hidden."""
        return mask_personal(self.applicant_id_number)


def dossier_search_text(*parts: str | None) -> str:
    """Fold the searchable parts of a dossier into one lower-case, diacritic-free string."""
    return " ".join(fold(p) for p in parts if p)


class ReceivedComponent(models.Model):
    """A component actually handed in at intake — thành phần hồ sơ đã nhận.

    Copied from the procedure's component list at receipt, with what the applicant really
    gave: the receipt (form 01) lists these rows, never the catalogue's full list.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveIntegerField("thứ tự", default=1)
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.TextField("tên giấy tờ")
    originals = models.PositiveSmallIntegerField("bản chính", default=0)
    certified_copies = models.PositiveSmallIntegerField("bản sao chứng thực", default=0)
    copies = models.PositiveSmallIntegerField("bản sao", default=0)
    # The procedure marks it as required only in some cases ("trường hợp …").
    conditional = models.BooleanField("thành phần có điều kiện", default=False)
    digitized = models.BooleanField("số hoá khi tiếp nhận", default=False)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    class Meta:
        ordering = ["dossier", "order", "id"]
        verbose_name = "thành phần hồ sơ đã nhận"
        verbose_name_plural = "thành phần hồ sơ đã nhận"

    def __str__(self) -> str:
        return self.name


class DossierEvent(models.Model):
    """One entry of a dossier's timeline — nhật ký xử lý hồ sơ."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=64)  # dotted stable code, e.g. dossier.received
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # dossier_event_actor: only events an account wrote
    )
    actor_name = models.CharField(max_length=150, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # Imports, the clock and the national portal write events without an account.
            models.Index(
                fields=["actor"],
                condition=models.Q(actor__isnull=False),
                name="dossier_event_actor",
            ),
        ]
        verbose_name = "sự kiện hồ sơ"
        verbose_name_plural = "nhật ký hồ sơ"

    def __str__(self) -> str:
        return f"{self.dossier} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ClockPause(models.Model):
    """A suspension of the clock — tạm dừng tính thời hạn (supplement, payment)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(max_length=12, choices=PauseKind.choices)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    items = models.JSONField("thành phần cần bổ sung", default=list, blank=True)
    reason = models.TextField(blank=True)
    justification = models.TextField("lý do yêu cầu lần nữa", blank=True)

    class Meta:
        ordering = ["opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(closed_at__isnull=True), name="one_open_pause"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.kind} {self.opened_at:%Y-%m-%d}"


class Apology(models.Model):
    """An apology with a new appointment — phiếu xin lỗi và hẹn lại ngày trả kết quả."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    issued_at = models.DateTimeField()
    new_due = models.DateTimeField("ngày hẹn trả mới")
    reason = models.TextField("lý do")
    delaying_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grants_extension = models.BooleanField(default=False)
    flagged = models.BooleanField("ban hành muộn", default=False)
    flag_reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["issued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(grants_extension=True), name="one_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} xin lỗi {self.issued_at:%Y-%m-%d}"


class StepRecord(models.Model):
    """A hand-over on the control slip — phiếu kiểm soát quá trình giải quyết."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    budget_minutes = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    # The step's unit is neither the dossier's receiving nor its competent unit (both fixed
    # once the dossier is received, before any step): only such a step lets a unit see the
    # dossier that the dossier's own columns would not. Set on save; True when unknown.
    widens_scope = models.BooleanField(default=True, editable=False)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["unit", "dossier"]),
            models.Index(
                fields=["unit", "dossier"],
                condition=Q(widens_scope=True),
                name="step_widens_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} bước {self.order} {self.unit.code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        dossier = self.dossier
        self.widens_scope = self.unit_id not in {
            dossier.receiving_unit_id,
            dossier.competent_unit_id,
        }
        super().save(*args, **kwargs)


class DossierCodeCounter(models.Model):
    """The daily sequence of dossier codes per receiving unit (never reused)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="code_counter_once")]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.day} {self.last}"


def _upload_path(instance: DossierFile, filename: str) -> str:
    return f"dossiers/{instance.sha256[:2]}/{instance.sha256}"


class DossierFile(models.Model):
    """A stored file: a component, a supplement or a result, with its checks."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=12, choices=FileKind.choices)
    component_name = models.CharField(max_length=255, blank=True)
    file = models.FileField(upload_to=_upload_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    digitized = models.BooleanField("số hoá khi tiếp nhận", default=False)
    reused = models.BooleanField("tái sử dụng dữ liệu đã số hoá", default=False)
    reuse_source = models.CharField(max_length=255, blank=True)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Payment(models.Model):
    """A fee or charge paid for a dossier — thanh toán phí, lệ phí (amount in đồng)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField("hình thức", max_length=24, choices=PaymentMethod.choices)
    reference = models.CharField("mã giao dịch", max_length=100)
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    paid_at = models.DateTimeField("thời điểm thanh toán")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["paid_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["method", "reference"], name="payment_reference_once")
        ]
        verbose_name = "thanh toán"
        verbose_name_plural = "thanh toán"

    def __str__(self) -> str:
        return f"{self.dossier} {self.amount} đ ({self.reference})"

    @property
    def online(self) -> bool:
        """Paid through an online payment platform (766 `DuocThanhToanTrucTuyen`)."""
        return self.method in ONLINE_PAYMENT_METHODS


class DossierRating(models.Model):
    """The applicant's evaluation of a returned dossier — đánh giá mức độ hài lòng (one only)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    satisfied = models.BooleanField("hài lòng")
    # criterion code -> score 1..RATING_SCALE_MAX (missing = not answered).
    scores = models.JSONField("điểm theo tiêu chí", default=dict, blank=True)
    scale_max = models.PositiveSmallIntegerField(default=RATING_SCALE_MAX)
    comment = models.TextField("ý kiến", blank=True)
    via = models.CharField("qua", max_length=16)  # portal, qr, account
    rated_at = models.DateTimeField()
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-rated_at", "-id"]
        verbose_name = "đánh giá hồ sơ"
        verbose_name_plural = "đánh giá hồ sơ"

    def __str__(self) -> str:
        return f"{self.dossier} {'hài lòng' if self.satisfied else 'không hài lòng'}"
