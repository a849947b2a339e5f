"""Feedback items (PAKN and hotline questions), categories with routing and norms, timeline,
votes, closing surveys and the reminder ledger (feedback.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from motcua.feedback.choices import (
    Channel,
    Competence,
    FeedbackState,
    Kind,
    ReminderRung,
    Subject,
    Vote,
)
from motcua.lib.privacy import mask_personal
from motcua.lib.scoping import visible_unit_ids
from motcua.units.models import Unit


class Category(models.Model):
    """A node of the province's category tree — lĩnh vực phản ánh (service area × subject).

    Carries the service norm (shorter than the 766 ceilings, never longer) and is the
    `service_code` of the Open311 API.
    """

    province = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.SlugField("mã nhóm", max_length=64)
    name = models.CharField("tên nhóm", max_length=255)
    description = models.TextField("mô tả", blank=True)
    subject = models.CharField(
        "loại nội dung mặc định", max_length=12, choices=Subject.choices, blank=True
    )
    norm_days = models.PositiveSmallIntegerField(
        "định mức xử lý (ngày)", null=True, blank=True, help_text="≤ 15 ngày làm việc"
    )
    norm_calendar_days = models.BooleanField("định mức tính theo ngày lịch", default=False)
    active = models.BooleanField("đang dùng", default=True)
    order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["province", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="feedback_category_code"),
        ]
        verbose_name = "nhóm phản ánh, kiến nghị"
        verbose_name_plural = "nhóm phản ánh, kiến nghị"

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Category + area → the default handling unit (định tuyến)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="rules")
    # The district/commune/province the matter is located in; NULL = anywhere in the province.
    area = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handling_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["category", "area"]
        constraints = [
            models.UniqueConstraint(fields=["category", "area"], name="feedback_route_once"),
            models.UniqueConstraint(
                fields=["category"], condition=Q(area__isnull=True), name="feedback_route_default"
            ),
        ]
        verbose_name = "quy tắc định tuyến"
        verbose_name_plural = "quy tắc định tuyến"

    def __str__(self) -> str:
        return f"{self.category} → {self.handling_unit}"


class StandardAnswer(models.Model):
    """A versioned answer from the library, per category — câu trả lời mẫu."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="answers")
    title = models.CharField("câu hỏi", max_length=255)
    text = models.TextField("nội dung trả lời")
    version = models.PositiveIntegerField("phiên bản", default=1)
    active = models.BooleanField("đang dùng", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "title", "-version"]
        verbose_name = "câu trả lời mẫu"
        verbose_name_plural = "thư viện câu trả lời mẫu"

    def __str__(self) -> str:
        return self.title


class FeedbackQuerySet(models.QuerySet["Feedback"]):
    """Queries over feedback items."""

    def visible_to(self, user: object) -> FeedbackQuerySet:
        """Items the user may see: handled by, logged at, or forwarded from their units."""
        ids = visible_unit_ids(user)
        if ids is None:
            return self.all()
        if not ids:
            return self.none()
        return self.filter(Q(unit_id__in=ids) | Q(intake_unit_id__in=ids))

    def public(self) -> FeedbackQuerySet:
        """Published answers the public may read (never the do-not-publish ones)."""
        return self.filter(
            kind=Kind.PAKN,
            published_at__isnull=False,
            do_not_publish=False,
            state__in=[FeedbackState.PUBLISHED, FeedbackState.CLOSED],
        )


class Feedback(models.Model):
    """A citizen's or organisation's feedback or recommendation — phản ánh, kiến nghị.

    Also a hotline question answered on the spot (`kind=question`), counted apart from PAKN.
    """

    code = models.CharField("mã phản ánh", max_length=40, unique=True)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.PAKN)
    state = models.CharField("trạng thái", max_length=24, choices=FeedbackState.choices)
    channel = models.CharField("kênh tiếp nhận", max_length=16, choices=Channel.choices)

    title = models.CharField("tiêu đề", max_length=255)
    content = models.TextField("nội dung")
    # Classification (§3): empty until classified.
    subject = models.CharField("loại nội dung", max_length=12, choices=Subject.choices, blank=True)
    competence = models.CharField(
        "thẩm quyền", max_length=12, choices=Competence.choices, blank=True
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    # Where the matter is located (district/commune); drives routing.
    area = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Sender (personal data: masked wherever not needed, never published).
    sender_name = models.CharField("người phản ánh", max_length=255, blank=True)
    sender_phone = models.CharField("số điện thoại", max_length=20, blank=True)
    sender_email = models.EmailField("thư điện tử", blank=True)
    sender_id_number = models.CharField("số định danh", max_length=20, blank=True)
    sender_address = models.CharField("địa chỉ", max_length=255, blank=True)
    # A sender who gave only an e-mail follows the item with this random code (issue 16),
    # not with guessable characters of the address (motcua/feedback/followcode.py).
    follow_code = models.CharField("mã theo dõi", max_length=12, blank=True)
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Intake: where and by whom it was logged; first contact and the unit's receipt instant.
    intake_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact_at = models.DateTimeField("thời điểm liên hệ đầu tiên")
    received_at = models.DateTimeField("thời điểm tiếp nhận", db_index=True)
    call_duration_seconds = models.PositiveIntegerField(
        "thời lượng cuộc gọi (giây)", null=True, blank=True
    )

    # Handling.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="feedback_items", verbose_name="đơn vị xử lý"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Links (§3.4).
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    procedure = models.ForeignKey(
        "procedures.Procedure", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer_name = models.CharField("cán bộ bị phản ánh", max_length=150, blank=True)
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats"
    )
    repeat_dissatisfied = models.BooleanField("phản ánh lại vì chưa hài lòng", default=False)
    forwarded_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="forwards"
    )

    # Disposal without an answer of the unit's own.
    forwarded_to_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forwarded_to_body = models.CharField("cơ quan tiếp nhận chuyển đến", max_length=255, blank=True)
    disposal_reason = models.TextField("lý do (từ chối, chuyển, hướng dẫn)", blank=True)

    # Answer (§6): the official text to the sender, the public text without personal data.
    answer_official = models.TextField("văn bản trả lời", blank=True)
    answer_public = models.TextField("nội dung công khai", blank=True)
    # The question as the public sees it (personal data removed), approved with the answer.
    public_title = models.CharField("tiêu đề công khai", max_length=255, blank=True)
    # Folded public_title + answer_public (motcua.lib.vntext.fold), set on publication, so
    # that "cap giay phep" finds "cấp giấy phép" on any database.
    search_text = models.TextField(blank=True, default="", editable=False)
    answer_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    do_not_publish = models.BooleanField("không công khai", default=False)
    do_not_publish_reason = models.TextField("lý do không công khai", blank=True)

    # Instants of the lifecycle (UTC).
    first_supplement_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField("thời điểm xử lý xong", null=True, blank=True)
    published_at = models.DateTimeField("thời điểm công khai", null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When it left the open population: resolved_at, or the refuse/forward/redirect instant,
    # or the quick answer's instant.
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)

    # Cached deadlines from the working calendar (services recompute them; §5).
    refuse_due = models.DateTimeField(null=True, blank=True)
    supplement_due = models.DateTimeField(null=True, blank=True)
    handle_due = models.DateTimeField("hạn xử lý (766)", null=True, blank=True, db_index=True)
    # The same 15-day clock with the sender's supplement time paused ([unconfirmed] rule).
    handle_due_paused = models.DateTimeField(null=True, blank=True)
    # The category's service norm (≤ handle_due); what the citizen is shown as expected.
    norm_due = models.DateTimeField("hạn theo định mức", null=True, blank=True)
    publish_due = models.DateTimeField(null=True, blank=True)

    likes = models.PositiveIntegerField(default=0)
    dislikes = models.PositiveIntegerField(default=0)

    lock_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["unit", "received_at"]),
            models.Index(fields=["state", "handle_due"]),
            models.Index(fields=["published_at"]),
        ]
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"

    def __str__(self) -> str:
        return self.code

    @property
    def masked_phone(self) -> str:
        """Phone with all but the last three digits hidden."""
        return mask_personal(self.sender_phone)

    @property
    def masked_id_number(self) -> str:
        """ID number with all but the last three digits hidden."""
        return mask_personal(self.sender_id_number)

    @property
    def unsatisfied(self) -> bool:
        """More dislikes than likes (766 §5.5)."""
        return self.dislikes > self.likes


class FeedbackEntry(models.Model):
    """One entry of an item's timeline — nhật ký xử lý phản ánh (kind: dotted stable code)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=64)  # e.g. feedback.received, feedback.forwarded
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
        verbose_name = "sự kiện phản ánh"
        verbose_name_plural = "nhật ký phản ánh"

    def __str__(self) -> str:
        return f"{self.feedback} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class FeedbackPause(models.Model):
    """Time waiting for the sender's supplement or clarification (recorded; §5 [unconfirmed])."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="pauses")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    request = models.TextField("nội dung yêu cầu")

    class Meta:
        ordering = ["opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback"],
                condition=Q(closed_at__isnull=True),
                name="feedback_one_open_pause",
            )
        ]

    def __str__(self) -> str:
        return f"{self.feedback} {self.opened_at:%Y-%m-%d}"


class FeedbackVote(models.Model):
    """A like or dislike on a published answer; one per voter (hashed key) and item."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=Vote.choices)
    # sha256 of the account id or of (address, user agent): never the raw address.
    voter = models.CharField(max_length=64)
    is_sender = models.BooleanField(default=False)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "voter"], name="feedback_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.feedback} {self.value:+d}"


class FeedbackSurvey(models.Model):
    """The sender's answer to the closing question (kept apart from the portal's likes)."""

    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="survey")
    satisfied = models.BooleanField("hài lòng")
    comment = models.TextField("ý kiến", blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = "khảo sát hài lòng"
        verbose_name_plural = "khảo sát hài lòng"

    def __str__(self) -> str:
        return f"{self.feedback} {'hài lòng' if self.satisfied else 'không hài lòng'}"


class FeedbackReminder(models.Model):
    """The once-per-rung ledger: a row per (item, rung, due instant) that has fired."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="reminders")
    rung = models.CharField(max_length=20, choices=ReminderRung.choices)
    due = models.DateTimeField()
    fired_at = models.DateTimeField()
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["fired_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "rung", "due"], name="feedback_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.feedback} {self.rung} {self.due:%Y-%m-%d}"


class FeedbackCodeCounter(models.Model):
    """The daily sequence of feedback codes per province (never reused)."""

    prefix = models.CharField(max_length=16)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "day"], name="feedback_code_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.day} {self.last}"
