"""Unit representations for the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from motcua.units.models import Unit, UnitSuccession


class UnitSerializer(serializers.ModelSerializer):
    """A unit version."""

    parent_code = serializers.CharField(source="parent.code", allow_null=True, default=None)

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "level",
            "kind",
            "parent_code",
            "valid_from",
            "valid_to",
            "admin_code",
            "has_one_stop",
        ]


class SuccessionSerializer(serializers.ModelSerializer):
    """A successor link."""

    predecessor = serializers.CharField(source="predecessor.code")
    predecessor_name = serializers.CharField(source="predecessor.name")
    successor = serializers.CharField(source="successor.code")
    successor_name = serializers.CharField(source="successor.name")
    kind_label = serializers.CharField(read_only=True)

    class Meta:
        model = UnitSuccession
        fields = [
            "predecessor",
            "predecessor_name",
            "successor",
            "successor_name",
            "effective_date",
            "kind",
            "kind_text",
            "kind_label",
            "is_principal",
            "legal_basis",
            "note",
        ]


class UnitDetailSerializer(UnitSerializer):
    """A unit version with its links across reorganisations."""

    successors = SuccessionSerializer(source="successions", many=True, read_only=True)
    predecessors = SuccessionSerializer(source="predecessions", many=True, read_only=True)

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "successors", "predecessors"]


class TreeNodeSerializer(serializers.Serializer):
    """A unit and its descendants on one date."""

    code = serializers.CharField(source="unit.code")
    name = serializers.CharField(source="unit.name")
    level = serializers.CharField(source="unit.level")
    kind = serializers.CharField(source="unit.kind")
    valid_from = serializers.DateField(source="unit.valid_from", allow_null=True)
    valid_to = serializers.DateField(source="unit.valid_to", allow_null=True)
    children = serializers.SerializerMethodField()

    def get_children(self, node: Any) -> Any:
        return TreeNodeSerializer(node.children, many=True).data
