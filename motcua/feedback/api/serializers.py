"""Feedback representations for the API; personal data is masked for anyone not handling it."""

from __future__ import annotations

from typing import Any

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.feedback.choices import (
    OPEN_STATES,
    Channel,
    Competence,
    FeedbackState,
    Kind,
    Subject,
)
from motcua.feedback.models import Category, Feedback, FeedbackEntry
from motcua.lib.privacy import mask_personal
from motcua.people.policy import Action, can


@extend_schema_field({"type": "string"})
class CodeChoiceField(serializers.ChoiceField):
    """A choice documented as a string with its codes in the description.

    Not an enum: `state`, `channel`, `kind` and `subject` already name other enums in the
    schema (dossiers), and each clash would need an ENUM_NAME_OVERRIDES entry in the settings.
    """

    def __init__(self, choices: type[TextChoices], **kwargs: Any) -> None:
        codes = " | ".join(f"{value} ({label})" for value, label in choices.choices)
        kwargs.setdefault("help_text", codes)
        super().__init__(choices=choices.choices, **kwargs)


def mask_name(name: str) -> str:
    """Keep the first letter of each word: Trần Văn Bình → T*** V** B***."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in (name or "").split())


def mask_email(email: str) -> str:
    """Keep the first letter and the domain: binh@example.vn → b***@example.vn."""
    local, at, domain = (email or "").partition("@")
    if not at:
        return mask_personal(email)
    return f"{local[:1]}***@{domain}"


def handles(user: Any, feedback: Feedback) -> bool:
    """Whether `user` handles the item (PROCESS at its unit) and so sees the sender's contacts.

    Scope and memberships are cached on the user by the scoped query, so a list asks no more
    queries for this however many rows it shows.
    """
    return can(user, Action.PROCESS, feedback.unit_id)


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


class FeedbackSerializer(serializers.ModelSerializer):
    """A feedback item as listed — phản ánh, kiến nghị; sender masked unless the user handles it."""

    kind = CodeChoiceField(Kind, read_only=True)
    state = CodeChoiceField(FeedbackState, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    channel = CodeChoiceField(Channel, read_only=True)
    subject = serializers.CharField(read_only=True, help_text=" | ".join(Subject.values))
    competence = serializers.CharField(read_only=True, help_text=" | ".join(Competence.values))
    category = serializers.CharField(source="category.code", allow_null=True, default=None)
    category_name = serializers.CharField(source="category.name", allow_null=True, default=None)
    area = serializers.CharField(source="area.code", allow_null=True, default=None)
    intake_unit = serializers.CharField(source="intake_unit.code", allow_null=True, default=None)
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    handler = serializers.SerializerMethodField()
    sender_name = serializers.SerializerMethodField()
    sender_phone = serializers.SerializerMethodField()
    sender_email = serializers.SerializerMethodField()
    sender_id_number = serializers.SerializerMethodField()
    personal_data = serializers.SerializerMethodField(
        help_text="true: người dùng xử lý phản ánh này và thấy đầy đủ thông tin người gửi"
    )
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = [
            "code",
            "kind",
            "state",
            "state_label",
            "channel",
            "title",
            "subject",
            "competence",
            "category",
            "category_name",
            "area",
            "intake_unit",
            "unit",
            "unit_name",
            "handler",
            "sender_name",
            "sender_phone",
            "sender_email",
            "sender_id_number",
            "personal_data",
            "contact_at",
            "received_at",
            "refuse_due",
            "supplement_due",
            "handle_due",
            "norm_due",
            "publish_due",
            "resolved_at",
            "published_at",
            "closed_at",
            "finished_at",
            "overdue",
            "likes",
            "dislikes",
            "lock_version",
        ]

    def _full(self, feedback: Feedback) -> bool:
        user = self.context.get("user")
        return user is not None and handles(user, feedback)

    def get_personal_data(self, feedback: Feedback) -> bool:
        """Whether the sender's data below is shown in full."""
        return self._full(feedback)

    def get_handler(self, feedback: Feedback) -> str | None:
        """The handling officer's username."""
        return _username(feedback.handler)

    def get_sender_name(self, feedback: Feedback) -> str:
        """Full to those who handle the item, initials otherwise."""
        name = feedback.sender_name
        return name if self._full(feedback) else mask_name(name)

    def get_sender_phone(self, feedback: Feedback) -> str:
        """Full to those who handle the item, masked otherwise."""
        return feedback.sender_phone if self._full(feedback) else feedback.masked_phone

    def get_sender_email(self, feedback: Feedback) -> str:
        """Full to those who handle the item, masked otherwise."""
        email = feedback.sender_email
        return email if self._full(feedback) else mask_email(email)

    def get_sender_id_number(self, feedback: Feedback) -> str:
        """Full to those who handle the item, masked otherwise."""
        return feedback.sender_id_number if self._full(feedback) else feedback.masked_id_number

    def get_overdue(self, feedback: Feedback) -> bool:
        """Still open and past the 15-working-day handling limit."""
        due = feedback.handle_due
        return feedback.state in OPEN_STATES and due is not None and due < timezone.now()


class EntrySerializer(serializers.ModelSerializer):
    """One entry of the item's timeline — nhật ký xử lý."""

    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)

    class Meta:
        model = FeedbackEntry
        fields = ["kind", "at", "actor_name", "unit", "from_state", "to_state", "note", "data"]


class FeedbackDetailSerializer(FeedbackSerializer):
    """A feedback item with its content, links, disposal, answer and timeline."""

    sender_address = serializers.SerializerMethodField()
    logged_by = serializers.SerializerMethodField()
    dossier = serializers.CharField(source="dossier.code", allow_null=True, default=None)
    procedure = serializers.CharField(source="procedure.code", allow_null=True, default=None)
    officer = serializers.SerializerMethodField()
    repeat_of = serializers.CharField(source="repeat_of.code", allow_null=True, default=None)
    forwarded_from = serializers.CharField(
        source="forwarded_from.code", allow_null=True, default=None
    )
    forwarded_to_unit = serializers.CharField(
        source="forwarded_to_unit.code", allow_null=True, default=None
    )
    forwards = serializers.SerializerMethodField()
    answer_drafted_by = serializers.SerializerMethodField()
    answer_approved_by = serializers.SerializerMethodField()
    events = EntrySerializer(many=True, read_only=True)

    class Meta(FeedbackSerializer.Meta):
        fields = [
            *FeedbackSerializer.Meta.fields,
            "content",
            "sender_address",
            "logged_by",
            "call_duration_seconds",
            "dossier",
            "procedure",
            "officer",
            "officer_name",
            "repeat_of",
            "repeat_dissatisfied",
            "forwarded_from",
            "forwarded_to_unit",
            "forwarded_to_body",
            "forwards",
            "disposal_reason",
            "public_title",
            "answer_official",
            "answer_public",
            "answer_drafted_by",
            "answer_approved_by",
            "do_not_publish",
            "do_not_publish_reason",
            "first_supplement_at",
            "handle_due_paused",
            "events",
        ]

    def get_sender_address(self, feedback: Feedback) -> str:
        """Full to those who handle the item, hidden otherwise."""
        address = feedback.sender_address
        return address if self._full(feedback) or not address else "***"

    def get_logged_by(self, feedback: Feedback) -> str | None:
        """Username of the officer or partner account that logged the item."""
        return _username(feedback.logged_by)

    def get_officer(self, feedback: Feedback) -> str | None:
        """Username of the officer the item is about, when one is linked."""
        return _username(feedback.officer)

    def get_forwards(self, feedback: Feedback) -> list[str]:
        """Codes of the items this one was forwarded as (at the competent units)."""
        return [item.code for item in feedback.forwards.all()]

    def get_answer_drafted_by(self, feedback: Feedback) -> str | None:
        """Username of the drafter of the answer."""
        return _username(feedback.answer_drafted_by)

    def get_answer_approved_by(self, feedback: Feedback) -> str | None:
        """Username of the leader who approved the answer."""
        return _username(feedback.answer_approved_by)


class CategorySerializer(serializers.ModelSerializer):
    """A node of the category tree — lĩnh vực phản ánh (the Open311 service_code)."""

    province = serializers.CharField(source="province.code")
    # Declared fields leave the class namespace (DRF's metaclass), so "parent" is safe here.
    parent = serializers.CharField(  # type: ignore[assignment]
        source="parent.code", allow_null=True, default=None
    )
    subject = serializers.CharField(help_text=" | ".join(Subject.values) + " hoặc rỗng")

    class Meta:
        model = Category
        fields = [
            "id",
            "code",
            "name",
            "description",
            "province",
            "parent",
            "subject",
            "norm_days",
            "norm_calendar_days",
            "active",
            "order",
        ]


# -- request bodies -------------------------------------------------------------------------


def _text(label: Any, *, max_length: int | None = None) -> Any:
    """An optional text input ("" when absent)."""
    field = serializers.CharField(required=False, allow_blank=True, default="", help_text=label)
    if max_length is not None:
        field = serializers.CharField(
            required=False, allow_blank=True, default="", help_text=label, max_length=max_length
        )
    return field


class SenderSerializer(serializers.Serializer):
    """The person or organisation sending the item (personal data: never published)."""

    name = _text(_("Họ và tên"), max_length=255)
    phone = _text(_("Số điện thoại"), max_length=20)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    id_number = _text(_("Số định danh cá nhân"), max_length=20)
    address = _text(_("Địa chỉ"), max_length=255)


class IntakeSerializer(serializers.Serializer):
    """Logging an item at intake — tiếp nhận phản ánh, kiến nghị (officer or partner channel)."""

    channel = CodeChoiceField(Channel)
    kind = CodeChoiceField(Kind, default=Kind.PAKN)
    title = serializers.CharField(max_length=255, help_text=_("Tiêu đề"))
    content = serializers.CharField(help_text=_("Nội dung"))
    sender = SenderSerializer(required=False)
    intake_unit = _text(
        _("Nơi tiếp nhận (mã đơn vị); để trống: đơn vị tiếp nhận duy nhất của tài khoản")
    )
    unit = _text(_("Đơn vị xử lý (mã đơn vị); để trống: theo quy tắc định tuyến"))
    category = _text(_("Nhóm phản ánh (mã)"))
    area = _text(_("Địa bàn xảy ra (mã đơn vị)"))
    subject = CodeChoiceField(Subject, required=False, allow_blank=True, default="")
    contact_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text=_("Thời điểm liên hệ đầu tiên")
    )
    received_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text=_("Thời điểm tiếp nhận")
    )
    call_duration_seconds = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0
    )
    dossier_code = _text(_("Mã hồ sơ liên quan"), max_length=40)
    procedure_code = _text(_("Mã thủ tục hành chính liên quan"), max_length=40)
    repeat_of_code = _text(_("Mã phản ánh đã được trả lời trước đây (phản ánh lại)"), max_length=40)
    repeat_dissatisfied = serializers.BooleanField(default=False)


class ActionSerializer(serializers.Serializer):
    """What every action accepts: the instant and the version the client last saw."""

    at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text=_("Thời điểm; để trống: bây giờ")
    )
    lock_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        help_text=_("Phiên bản đã đọc; khác phiên bản hiện tại → 409"),
    )


class RefuseSerializer(ActionSerializer):
    """Refuse to handle the item (written reason)."""

    reason = serializers.CharField(help_text=_("Lý do không tiếp nhận xử lý"))


class ForwardSerializer(ActionSerializer):
    """Forward to the competent body, inside motcua (to_unit) or outside (to_body)."""

    reason = serializers.CharField(help_text=_("Lý do chuyển"))
    to_unit = _text(_("Chuyển đến đơn vị (mã đơn vị trong hệ thống)"))
    to_body = _text(_("Chuyển đến cơ quan ngoài hệ thống"), max_length=255)


class RedirectSerializer(ActionSerializer):
    """Redirect a complaint or denunciation to its own procedure."""

    reason = serializers.CharField(help_text=_("Lý do hướng dẫn"))
    target = _text(_("Nơi tiếp nhận khiếu nại, tố cáo"), max_length=255)


class RequestSupplementSerializer(ActionSerializer):
    """Ask the sender to supplement or clarify."""

    request = serializers.CharField(help_text=_("Nội dung cần bổ sung, làm rõ"))


class RecordSupplementSerializer(ActionSerializer):
    """Record what the sender supplied."""

    text = serializers.CharField(help_text=_("Nội dung bổ sung, làm rõ"))


class HandlerSerializer(ActionSerializer):
    """Start processing, optionally naming the handler."""

    handler = _text(_("Người xử lý (tên đăng nhập)"), max_length=150)


class ClassifySerializer(ActionSerializer):
    """Classify: only the fields sent are changed."""

    subject = CodeChoiceField(Subject, required=False)
    competence = CodeChoiceField(Competence, required=False)
    category = serializers.CharField(required=False, allow_blank=True, help_text=_("Mã nhóm"))
    area = serializers.CharField(required=False, allow_blank=True, help_text=_("Mã đơn vị"))
    dossier_code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    procedure_code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    officer = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Cán bộ bị phản ánh (tên đăng nhập)")
    )
    officer_name = serializers.CharField(required=False, allow_blank=True, max_length=150)


class AssignSerializer(ActionSerializer):
    """Assign a handler and/or a handling unit."""

    handler = _text(_("Người xử lý (tên đăng nhập)"), max_length=150)
    unit = _text(_("Đơn vị xử lý (mã đơn vị)"))


class DraftAnswerSerializer(ActionSerializer):
    """Draft the official answer and its public version."""

    official = serializers.CharField(help_text=_("Văn bản trả lời gửi người phản ánh"))
    public = serializers.CharField(help_text=_("Nội dung công khai (không có thông tin cá nhân)"))
    public_title = _text(_("Tiêu đề công khai"), max_length=255)


class RejectAnswerSerializer(ActionSerializer):
    """Send the draft back to the handler."""

    reason = serializers.CharField(help_text=_("Lý do không phê duyệt"))


class ApproveAnswerSerializer(ActionSerializer):
    """Approve the answer (leader), optionally keeping it off the public list."""

    do_not_publish = serializers.BooleanField(default=False)
    do_not_publish_reason = _text(_("Lý do không công khai"))
