"""Catalogue representations for the API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.procedures.choices import ProcedureLevel
from motcua.procedures.display import format_dong
from motcua.procedures.fees import summary_text
from motcua.procedures.models import Component, Field, Procedure, ProcedureVersion, ProcessStep


@extend_schema_field(
    {"type": "string", "enum": ProcedureLevel.values, "description": "Cấp thực hiện"},
    component_name="ProcedureLevelEnum",
)
class ProcedureLevelField(serializers.ChoiceField):
    """The level of a procedure (its own schema component: units have another `level`)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ProcedureLevel.choices, **kwargs)


class FieldSerializer(serializers.ModelSerializer):
    """A field of procedures — lĩnh vực."""

    class Meta:
        model = Field
        fields = ["code", "name"]


class ComponentSerializer(serializers.ModelSerializer):
    """A required component — thành phần hồ sơ."""

    class Meta:
        model = Component
        fields = [
            "order",
            "name",
            "originals",
            "certified_copies",
            "copies",
            "required",
            "form_name",
            "condition",
        ]


class ProcessStepSerializer(serializers.ModelSerializer):
    """A step of the internal process with its budget in working minutes."""

    unit_code = serializers.CharField(source="unit.code", allow_null=True, default=None)
    unit_name = serializers.CharField(source="unit.name", allow_null=True, default=None)

    class Meta:
        model = ProcessStep
        fields = ["order", "name", "unit_code", "unit_name", "role", "budget_minutes"]


class CompetentUnitSerializer(serializers.Serializer):
    """A competent unit version."""

    code = serializers.CharField()
    name = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)


class ProcedureSerializer(serializers.ModelSerializer):
    """A procedure in the catalogue list."""

    level = ProcedureLevelField(read_only=True)
    field = FieldSerializer(read_only=True, allow_null=True)
    time_limit_text = serializers.CharField(read_only=True)
    fee_text = serializers.SerializerMethodField()

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "level",
            "field",
            "time_limit_amount",
            "time_limit_unit",
            "same_day_cutoff",
            "time_limit_text",
            "fee",
            "fee_text",
            "fee_spec",
            "online_level",
            "published",
            "version",
            "valid_from",
            "valid_to",
        ]

    def get_fee_text(self, procedure: Procedure) -> str:
        """The fee in words, e.g. '50.000 đồng', as written when the catalogue gave a spec."""
        if (procedure.fee_spec or {}).get("channels"):
            return summary_text(procedure)
        return format_dong(procedure.fee)


class ProcedureDetailSerializer(ProcedureSerializer):
    """A procedure with its components, internal process and competent units."""

    components = ComponentSerializer(many=True, read_only=True)
    steps = ProcessStepSerializer(many=True, read_only=True)
    competent_units = CompetentUnitSerializer(many=True, read_only=True)

    class Meta(ProcedureSerializer.Meta):
        fields = [
            *ProcedureSerializer.Meta.fields,
            "result_is_paper",
            "legal_basis",
            "publication_decision",
            "supplement_wait_days",
            "competent_units",
            "components",
            "steps",
            # The national catalogue as published (catalogue_import).
            "levels",
            "executing_bodies",
            "issuing_body",
            "applicants",
            "is_reference",
            "time_limit_confirmed",
            "time_limit_as_written",
            "fee_as_written",
            "channels_as_written",
            "result_documents",
            "legal_documents",
            "publication_decision_date",
            "portal_uuid",
        ]


class ProcedureVersionSerializer(serializers.ModelSerializer):
    """A frozen version: what a dossier received under it promised."""

    content = serializers.JSONField(source="data", read_only=True)

    class Meta:
        model = ProcedureVersion
        fields = ["number", "created_at", "content"]
