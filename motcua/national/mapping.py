"""What the national portal receives for a dossier state change (dossiers.md §13).

The field names are the national formula's (`NgayTiepNhan`, `NgayHenTra`, …). Instants are
sent in ISO 8601 with the Asia/Ho_Chi_Minh offset, as the portal's reports read them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.dossiers.choices import ONLINE_PAYMENT_METHODS, FileKind, IdentitySource
from motcua.dossiers.models import Dossier
from motcua.national.choices import CHANNEL_CODES, STATUS_CODES
from motcua.workcalendar.engine import TZ

# motcua time-limit unit -> the portal's DonViTinh words.
TIME_UNITS = {
    "working_days": "Ngày làm việc",
    "working_hours": "Giờ làm việc",
    "calendar_days": "Ngày",
    "calendar_months": "Tháng",
    "same_day": "Trong ngày",
}


def status_code_for(state: str) -> int | None:
    """The national status code of a motcua state; None for a draft (never synchronised)."""
    return STATUS_CODES.get(state)


def _instant(value: dt.datetime | None) -> str | None:
    return value.astimezone(TZ).isoformat() if value is not None else None


def base_payload(dossier: Dossier, *, status_code: int, event_kind: str) -> dict[str, Any]:
    """The fields read from the dossier row itself (no query beyond the procedure's code)."""
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure.code,
        "TrangThaiHoSo": status_code,
        "SuKien": event_kind,
        "KenhThucHien": CHANNEL_CODES.get(dossier.channel, 1),
        "NgayNopHoSo": _instant(dossier.submitted_at),
        "NgayTiepNhan": _instant(dossier.received_at),
        "NgayHenTra": _instant(dossier.statutory_due),
        "NgayKetThucXuLy": _instant(dossier.finished_at),
        "NgayTraKetQua": _instant(dossier.returned_at),
        "ThoiGianGiaiQuyet": dossier.time_limit_amount,
        "DonViTinh": TIME_UNITS.get(dossier.time_limit_unit, dossier.time_limit_unit),
        "TaiKhoanDuocXacThucVoiVNeID": dossier.identity_source == IdentitySource.VNEID,
        "MaCSDL": dossier.identity_source == IdentitySource.POPULATION_DB,
        "LienKetKhoDuLieu": dossier.edata_linked,
    }


def payload_for(dossier: Dossier, *, status_code: int, event_kind: str) -> dict[str, Any]:
    """Everything the portal needs about the dossier at this change (four small queries)."""
    payload = base_payload(dossier, status_code=status_code, event_kind=event_kind)
    components = list(dossier.components.values_list("digitized", flat=True))
    files = list(dossier.files.values("kind", "digitized", "reused"))
    payments = list(dossier.payments.values("method", "amount"))
    payload.update(
        {
            "HoSoCoThanhPhanSoHoa": any(components)
            or any(f["digitized"] for f in files if f["kind"] == FileKind.COMPONENT),
            "TaiLieuNop": {
                "DuocSoHoa": sum(1 for d in components if d),
                "DuocLayTuKhoDMQG": sum(1 for f in files if f["reused"]),
            },
            "CoKetQuaDienTu": any(f["kind"] == FileKind.RESULT for f in files),
            "DuocThanhToanTrucTuyen": any(p["method"] in ONLINE_PAYMENT_METHODS for p in payments),
            "DanhSachPhiLePhi": [{"SoTien": p["amount"]} for p in payments],
        }
    )
    return payload
