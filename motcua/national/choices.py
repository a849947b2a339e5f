"""The national status codes (dossiers.md §13) and the states of an outbox row."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import Channel, State


class OutboxState(models.TextChoices):
    """Where an outbox row is — trạng thái gửi lên Cổng."""

    PENDING = "pending", _("Chờ gửi")
    DELIVERED = "delivered", _("Đã gửi")
    # Never to be sent (imported history already known to the portal, demo data); the
    # reason is kept on the row.
    SKIPPED = "skipped", _("Không gửi")


class NationalStatus(models.IntegerChoices):
    """Status codes of the national portal's synchronisation (dossiers.md §13)."""

    NEW = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Được tiếp nhận")
    NOT_RECEIVED = 3, _("Không được tiếp nhận")
    IN_PROGRESS = 4, _("Đang xử lý")
    SUPPLEMENT = 5, _("Yêu cầu bổ sung giấy tờ")
    PAYMENT = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    RESOLVED = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


# motcua state -> national code. `draft` is never synchronised. Two mappings are marked
# [unconfirmed] in dossiers.md §13: awaiting_completion -> 1 and refused -> 8.
STATUS_CODES: dict[str, int] = {
    State.SUBMITTED: NationalStatus.NEW,
    State.AWAITING_COMPLETION: NationalStatus.NEW,
    State.RECEIVED: NationalStatus.RECEIVED,
    State.REFUSED_AT_INTAKE: NationalStatus.NOT_RECEIVED,
    State.IN_PROGRESS: NationalStatus.IN_PROGRESS,
    State.SUPPLEMENT_REQUESTED: NationalStatus.SUPPLEMENT,
    State.AWAITING_PAYMENT: NationalStatus.PAYMENT,
    State.WITHDRAWN: NationalStatus.WITHDRAWN,
    State.STOPPED: NationalStatus.STOPPED,
    State.REFUSED: NationalStatus.STOPPED,
    State.RESOLVED: NationalStatus.RESOLVED,
    State.RETURNED: NationalStatus.RETURNED,
}

# KenhThucHien: 1 direct, 2 online, 3 postal (an empty channel counts as direct nationally).
CHANNEL_CODES: dict[str, int] = {Channel.DIRECT: 1, Channel.ONLINE: 2, Channel.POSTAL: 3}
