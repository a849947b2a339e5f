"""Serializers of the task API: a task with its document, deadline and timeline; action bodies."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from motcua.assignments.models import ProgressReport, Task, TaskEvent


class TaskSerializer(serializers.ModelSerializer):
    """A task as a list shows it; `overdue` is derived today, never stored."""

    issuer = serializers.CharField(source="document.issuer_code", read_only=True)
    document = serializers.CharField(source="document.number", read_only=True)
    issued_on = serializers.DateField(source="document.issued_on", read_only=True)
    lead_unit = serializers.CharField(source="lead_unit.code", read_only=True)
    coordinating_units: Any = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )
    parent_task = serializers.CharField(source="parent.code", read_only=True, default=None)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "code",
            "issuer",
            "document",
            "issued_on",
            "position",
            "title",
            "lead_unit",
            "coordinating_units",
            "group_code",
            "expected_output",
            "criterion_code",
            "parent_task",
            "deadline_kind",
            "deadline_text",
            "original_due",
            "due_on",
            "status",
            "overdue",
            "assigned_on",
            "reported_done_on",
            "confirmed_on",
            "cancelled_on",
            "cancel_document",
        ]

    def get_overdue(self, task: Task) -> bool:
        return task.is_overdue(self.context["today"])


class TaskEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskEvent
        fields = ["kind", "at", "actor_name", "from_status", "to_status", "note", "data"]


class ReportSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["reported_on", "unit", "text", "percent", "evidence", "is_final"]


class TaskDetailSerializer(TaskSerializer):
    events = TaskEventSerializer(many=True, read_only=True)
    reports = ReportSerializer(many=True, read_only=True)

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "text", "events", "reports"]


class ProgressBody(serializers.Serializer):
    text = serializers.CharField()
    percent = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100)
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    reported_on = serializers.DateField(required=False, allow_null=True)


class CompleteBody(serializers.Serializer):
    text = serializers.CharField()
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    reported_on = serializers.DateField(required=False, allow_null=True)


class ConfirmBody(serializers.Serializer):
    confirmed_on = serializers.DateField(required=False, allow_null=True)
    document = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnBody(serializers.Serializer):
    reason = serializers.CharField()


class CancelBody(serializers.Serializer):
    document = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    cancelled_on = serializers.DateField(required=False, allow_null=True)


class ExtendBody(serializers.Serializer):
    new_due = serializers.DateField()
    document = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    decided_on = serializers.DateField(required=False, allow_null=True)


BODIES: dict[str, Any] = {
    "progress": ProgressBody,
    "complete": CompleteBody,
    "confirm": ConfirmBody,
    "return": ReturnBody,
    "cancel": CancelBody,
    "extend": ExtendBody,
}
