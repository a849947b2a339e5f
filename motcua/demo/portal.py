"""The demo applicant of the citizens' portal: one account with a profile (docs/demo.md).

Signs in at /tai-khoan/dang-nhap/ with the user name `congdan`, its e-mail address or its
phone number, and the shared demo password. Idempotent: a second build leaves it alone.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password

from motcua.audit.services import record_change, snapshot
from motcua.people.models import User
from motcua.portal.models import ApplicantProfile

APPLICANT_USERNAME = "congdan"
APPLICANT_NAME = "Lê Thị Mai"
# Fictitious: 0900 000 xxx numbers are not assigned to subscribers in the demo.
APPLICANT_PHONE = "0900000001"
APPLICANT_EMAIL = "congdan@demo.motcua.invalid"  # RFC 2606: never delivers
APPLICANT_ID_NUMBER = "087199000001"
APPLICANT_ADDRESS = "Khóm 1, phường Cao Lãnh, tỉnh Đồng Tháp"


def build_portal_demo(*, password: str, source: str = "demo") -> dict[str, Any]:
    """Create (or confirm) the demo applicant account and its profile."""
    user, created = User.objects.get_or_create(
        username=APPLICANT_USERNAME,
        defaults={
            "full_name": APPLICANT_NAME,
            "last_name": "Lê Thị",
            "first_name": "Mai",
            "phone": APPLICANT_PHONE,
            "email": APPLICANT_EMAIL,
            "password": make_password(password),
        },
    )
    if created:
        record_change(obj=user, action="create", after=snapshot(user), source=source)
    _, profile_created = ApplicantProfile.objects.get_or_create(
        user=user,
        defaults={
            "phone": APPLICANT_PHONE,
            "email": APPLICANT_EMAIL,
            "id_number": APPLICANT_ID_NUMBER,
            "address": APPLICANT_ADDRESS,
        },
    )
    return {"applicant": APPLICANT_USERNAME, "created": created or profile_created}
