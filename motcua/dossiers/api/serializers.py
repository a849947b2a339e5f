"""Dossier representations for the API; lists mask personal data (phone, ID number)."""

from __future__ import annotations

import functools
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.dossiers.actions import IDENTITY_CHOICES, Param, params_of
from motcua.dossiers.choices import Channel, FileKind, SubmittedBy
from motcua.dossiers.models import (
    Apology,
    ClockPause,
    Dossier,
    DossierEvent,
    DossierFile,
    StepRecord,
)
from motcua.dossiers.selectors import is_overdue
from motcua.lib.apiinput import CodeField


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(" + "|".join(FileKind.values) + ")$",
        "description": "component (thành phần hồ sơ) | result (kết quả) | supplement (bổ sung)",
    }
)
class FileKindField(serializers.ChoiceField):
    """What a stored file is.

    Documented by a pattern, not an enum: every enum on a property named "kind" needs an
    ENUM_NAME_OVERRIDES entry in the settings (units already use two).
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=FileKind.choices, **kwargs)


class DossierSerializer(serializers.ModelSerializer):
    """A dossier as listed: the applicant's phone and ID number are masked."""

    procedure = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    field = serializers.CharField(source="field.code", allow_null=True, default=None)
    state_label = serializers.CharField(source="get_state_display")
    receiving_unit = serializers.CharField(source="receiving_unit.code")
    competent_unit = serializers.CharField(
        source="competent_unit.code", allow_null=True, default=None
    )
    current_unit = serializers.CharField(source="current_unit.code", allow_null=True, default=None)
    applicant_phone = serializers.CharField(source="masked_phone")
    applicant_id_number = serializers.CharField(source="masked_id_number")
    overdue = serializers.SerializerMethodField()
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    assignee_name = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure",
            "procedure_name",
            "field",
            "state",
            "state_label",
            "channel",
            "submitted_by",
            "receiving_unit",
            "competent_unit",
            "current_unit",
            "applicant_name",
            "applicant_phone",
            "applicant_id_number",
            "submitted_at",
            "received_at",
            "finished_at",
            "returned_at",
            "delivery",
            "postal_consignment",
            "postal_delivered_on",
            "statutory_due",
            "promised_due",
            "supplement_count",
            "overdue",
            "assignee",
            "assignee_name",
            "assigned_at",
        ]

    def get_assignee_name(self, dossier: Dossier) -> str | None:
        """The assigned officer's full name (account name if none), or null."""
        return str(dossier.assignee) if dossier.assignee_id is not None else None

    def get_overdue(self, dossier: Dossier) -> bool:
        """Open, received, statutory due passed."""
        return is_overdue(dossier, timezone.now())


class EventSerializer(serializers.ModelSerializer):
    """One timeline entry."""

    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)

    class Meta:
        model = DossierEvent
        fields = ["kind", "at", "actor_name", "unit", "from_state", "to_state", "note", "data"]


class PauseSerializer(serializers.ModelSerializer):
    """A clock pause."""

    # Plain text rather than a second enum named "kind" (the schema would need a name override).
    kind = serializers.CharField(help_text="supplement (chờ bổ sung) | payment (chờ nộp tiền)")
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)

    class Meta:
        model = ClockPause
        fields = ["kind", "opened_at", "closed_at", "unit", "items", "reason", "justification"]


class ApologySerializer(serializers.ModelSerializer):
    """An apology and whether it extended the promise."""

    delaying_unit = serializers.CharField(
        source="delaying_unit.code", allow_null=True, default=None
    )

    class Meta:
        model = Apology
        fields = [
            "issued_at",
            "new_due",
            "reason",
            "delaying_unit",
            "grants_extension",
            "flagged",
            "flag_reason",
        ]


class StepSerializer(serializers.ModelSerializer):
    """A control slip row (hand-over), with its budget."""

    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")

    class Meta:
        model = StepRecord
        fields = ["order", "name", "unit", "unit_name", "budget_minutes", "started_at", "ended_at"]


class DossierFileSerializer(serializers.ModelSerializer):
    """A stored file (downloaded through the scoped `download_url`, never a media URL)."""

    kind = FileKindField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DossierFile
        fields = [
            "id",
            "kind",
            "component_name",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "digitized",
            "reused",
            "reuse_source",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, item: DossierFile) -> str:
        """Scoped API download path."""
        return f"/api/v1/dossiers/{item.dossier.code}/files/{item.pk}/"


class DossierDetailSerializer(DossierSerializer):
    """A dossier with its timeline, pauses, apologies, control slip and files.

    Contacts are shown in full only to people who work the dossier (receive, process,
    approve); viewers such as inspectors see them masked.
    """

    applicant_phone = serializers.SerializerMethodField()  # type: ignore[assignment]
    applicant_id_number = serializers.SerializerMethodField()  # type: ignore[assignment]
    procedure_version = serializers.IntegerField(source="procedure_version.number")
    events = EventSerializer(many=True, read_only=True)
    pauses = PauseSerializer(many=True, read_only=True)
    apologies = ApologySerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    files = DossierFileSerializer(many=True, read_only=True)
    identity_source = serializers.ChoiceField(
        choices=list(IDENTITY_CHOICES),
        read_only=True,
        help_text="xác thực danh tính khi tiếp nhận; rỗng: không qua VNeID hay CSDL dân cư",
    )
    edata_linked = serializers.BooleanField(
        read_only=True, help_text="đã liên kết kho dữ liệu điện tử của công dân"
    )
    fee_amount = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="phí, lệ phí (đồng) tính ngày tiếp nhận; null: chưa tính được",
    )
    fee_detail = serializers.JSONField(read_only=True, help_text="cách tính phí, lệ phí")

    class Meta(DossierSerializer.Meta):
        fields = [
            *DossierSerializer.Meta.fields,
            "procedure_version",
            "rule_version",
            "time_limit_amount",
            "time_limit_unit",
            "clock_start_event",
            "clock_started_at",
            "time_limit_extended_at",
            "time_limit_extension_reason",
            "applicant_email",
            "applicant_address",
            "owner_name",
            "identity_source",
            "edata_linked",
            "fee_amount",
            "fee_detail",
            "remaining_minutes",
            "events",
            "pauses",
            "apologies",
            "steps",
            "files",
        ]

    def _full(self) -> bool:
        return bool(self.context.get("personal_data"))

    def get_applicant_phone(self, dossier: Dossier) -> str:
        """Full to those who work the dossier, masked otherwise."""
        return dossier.applicant_phone if self._full() else dossier.masked_phone

    def get_applicant_id_number(self, dossier: Dossier) -> str:
        """Full to those who work the dossier, masked otherwise."""
        return dossier.applicant_id_number if self._full() else dossier.masked_id_number


class ApplicantSerializer(serializers.Serializer):
    """The person submitting the dossier."""

    name = serializers.CharField(max_length=255)
    id_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    owner_name = serializers.CharField(max_length=255, required=False, allow_blank=True)


class HandedInSerializer(serializers.Serializer):
    """A component handed in at intake — thành phần hồ sơ đã nhận."""

    component = serializers.IntegerField(
        required=False, allow_null=True, help_text="mã số thành phần trong danh mục của thủ tục"
    )
    name = serializers.CharField(
        required=False, allow_blank=True, help_text="giấy tờ ngoài danh mục"
    )
    originals = serializers.IntegerField(required=False, min_value=0, max_value=99)
    certified_copies = serializers.IntegerField(required=False, min_value=0, max_value=99)
    copies = serializers.IntegerField(required=False, min_value=0, max_value=99)
    digitized = serializers.BooleanField(default=False)


_INVALID_CHOICE = _("“{input}” không phải một lựa chọn hợp lệ.")


class ReceiptSerializer(serializers.Serializer):
    """A walk-in receipt at the desk — tiếp nhận hồ sơ trực tiếp."""

    procedure = CodeField(help_text="mã thủ tục")
    receiving_unit = CodeField(help_text="mã đơn vị tiếp nhận")
    applicant = ApplicantSerializer()
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.DIRECT)
    submitted_by = serializers.ChoiceField(
        choices=SubmittedBy.choices, default=SubmittedBy.APPLICANT
    )
    competent_unit = CodeField(required=False, allow_blank=True)
    received_at = serializers.DateTimeField(required=False, allow_null=True)
    components = HandedInSerializer(
        many=True,
        required=False,
        help_text="giấy tờ đã nhận; không gửi: không ghi nhận (counts default to the catalogue's)",
    )
    identity_source = serializers.ChoiceField(
        choices=list(IDENTITY_CHOICES),
        required=False,
        default="",
        error_messages={"invalid_choice": _INVALID_CHOICE},
        help_text="vneid: VNeID; population_db: CSDL quốc gia về dân cư; "
        "để trống: không qua hai nguồn này",
    )
    edata_linked = serializers.BooleanField(
        required=False,
        default=False,
        help_text="đã liên kết kho dữ liệu điện tử của công dân",
    )
    fee_counts = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="số lượng để tính phí, lệ phí ngày tiếp nhận: pages (số trang), copies "
        "(số bản), items (số việc); chỉ các số thủ tục cần",
    )


class DeadlineSerializer(serializers.Serializer):
    """The explained deadline of a dossier now."""

    statutory_due = serializers.DateTimeField(allow_null=True)
    promised_due = serializers.DateTimeField(allow_null=True)
    remaining_minutes = serializers.IntegerField(
        allow_null=True, help_text="phút làm việc còn lại; số âm: đã quá hạn bấy nhiêu phút"
    )
    paused = serializers.BooleanField()
    overdue = serializers.BooleanField()
    explanation = serializers.ListField(child=serializers.CharField())


class UploadSerializer(serializers.Serializer):
    """A file to attach (multipart)."""

    upload = serializers.FileField()
    kind = FileKindField(default=FileKind.COMPONENT)
    component_name = serializers.CharField(required=False, allow_blank=True, default="")
    digitized = serializers.BooleanField(default=True)
    reused = serializers.BooleanField(default=False)
    reuse_source = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    """Body of `assign`: the officer (username or id) and an optional note."""

    assignee = serializers.CharField(max_length=150)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ErrorSerializer(serializers.Serializer):
    """A refused action: a message (409, 403, 404)."""

    detail = serializers.CharField()


def _field_for(param: Param) -> serializers.Field:
    help_text = param.label + (f" ({param.help})" if param.help else "")
    if param.kind == "lines":
        return serializers.ListField(
            child=serializers.CharField(allow_blank=True),
            required=False,
            default=list,
            help_text=help_text,
        )
    if param.kind == "unit":
        return CodeField(
            required=param.required, allow_blank=not param.required, help_text=help_text
        )
    if param.kind == "instant":
        return serializers.DateTimeField(
            required=param.required, allow_null=not param.required, help_text=help_text
        )
    if param.kind == "amount":
        return serializers.IntegerField(required=param.required, min_value=1, help_text=help_text)
    if param.kind == "number":
        return serializers.IntegerField(
            required=False, allow_null=True, min_value=1, help_text=help_text
        )
    if param.kind == "flag":
        return serializers.BooleanField(default=False, help_text=help_text)
    if param.kind == "choice":
        return serializers.ChoiceField(
            choices=list(param.choices),
            default=param.choices[0][0],
            error_messages={"invalid_choice": _INVALID_CHOICE},
            help_text=help_text,
        )
    # Text: the service itself says in Vietnamese which text is missing.
    return serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=True, help_text=help_text
    )


@functools.cache
def action_serializer(event: str) -> type[serializers.Serializer]:
    """The request body of one action, built from `actions.ACTION_PARAMS`."""
    attrs: dict[str, Any] = {p.name: _field_for(p) for p in params_of(event)}
    attrs["__doc__"] = f"Dữ liệu của thao tác “{event}”."
    name = "".join(part.title() for part in event.split("_")) + "ActionSerializer"
    return type(name, (serializers.Serializer,), attrs)


class PostalDeliverySerializer(serializers.Serializer):
    """The day the post delivered a result returned by post — ngày phát bưu gửi."""

    delivered_on = serializers.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
