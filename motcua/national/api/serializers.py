"""The synchronisation state of a dossier in the API (read-only)."""

from __future__ import annotations

from rest_framework import serializers

SYNC_STATUSES = ("synchronised", "pending", "failed", "not_sent", "none")


class SyncStateSerializer(serializers.Serializer):
    """Where the dossier stands with the national portal — trạng thái đồng bộ."""

    status = serializers.ChoiceField(
        choices=SYNC_STATUSES,
        help_text="synchronised (đã đồng bộ) | pending (đang chờ) | failed (lỗi, sẽ thử lại) | "
        "not_sent (không gửi, ví dụ hồ sơ nhập từ hệ thống cũ) | none (chưa có dữ liệu)",
    )
    # a declared field named like Field.label: DRF collects it as any other field
    label = serializers.CharField(help_text="câu tiếng Việt hiển thị cho cán bộ")  # type: ignore[assignment]
    delivered = serializers.IntegerField(help_text="số thay đổi trạng thái đã gửi")
    pending = serializers.IntegerField(help_text="số thay đổi trạng thái còn chờ gửi")
    last_error = serializers.CharField(allow_blank=True)
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
