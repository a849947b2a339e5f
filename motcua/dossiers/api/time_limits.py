"""Bodies of the API actions on a dossier's time limit as written (`clock-start`, `ceiling`)."""

from __future__ import annotations

from rest_framework import serializers


class ClockStartSerializer(serializers.Serializer):
    """Body of `clock-start`: when the start event happened (default now) and a note."""

    at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CeilingSerializer(serializers.Serializer):
    """Body of `ceiling`: the reason (required) and the instant (default now)."""

    reason = serializers.CharField(max_length=2000, allow_blank=True)
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)
