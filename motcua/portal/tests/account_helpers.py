"""Helpers of the applicant-side tests: applicants, an online procedure, a service centre."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.conftest import REFORM, Province, make_unit, make_user
from motcua.dossiers.tests.factories import make_procedure
from motcua.people.choices import Role
from motcua.people.models import User
from motcua.portal.accounts import register_applicant
from motcua.procedures.models import Component, Procedure
from motcua.procedures.services import record_procedure_change
from motcua.units.models import Unit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00" + b"\x00" * 60
FEE = 50_000


def pdf(name: str = "to-khai.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    """An uploaded PDF."""
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def applicant(name: str, *, email: str = "", phone: str = "") -> User:
    """A registered applicant with password 'mat-khau-<name>-2025'."""
    return register_applicant(
        full_name=name,
        email=email,
        phone=phone,
        password=f"mat-khau-{name.split()[-1].lower()}-2025",
    )


def client_for(user: User) -> Client:
    """A test client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Setup:
    """The commune N1 with its service centre, its one-stop officer and an online procedure."""

    centre: Unit
    officer: User
    procedure: Procedure
    mai: User  # an applicant
    lan: User  # another applicant


@pytest.fixture(name="media")
def media_fixture(settings: Any, tmp_path: Path) -> Path:
    """Uploads go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def stored_files(media: Path) -> list[Path]:
    """Every file written under the media directory."""
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture(name="setup")
def setup_fixture(province: Province, people: dict[str, User], media: Path) -> Setup:
    """See `Setup`."""
    centre = make_unit(
        "N1.TTPV",
        "Trung tâm Phục vụ hành chính công xã Tháp Mười",
        "subunit",
        province.new_commune,
        kind="service_centre",
        has_one_stop=True,
        valid_from=REFORM,
    )
    officer = make_user("tina", (centre, Role.ONE_STOP_OFFICER), full_name="Võ Thị Tín")
    procedure = make_procedure(
        "1.000893",
        units=[province.new_commune],
        name="Thủ tục đăng ký khai sinh",
        online_level="partial",
        fee=FEE,
    )
    Component.objects.create(
        procedure=procedure, order=2, name="Giấy chứng sinh", copies=1, required=False
    )
    record_procedure_change(procedure, before=None, source="test")  # a new frozen version
    mai = applicant("Nguyễn Thị Mai", email="mai@example.vn", phone="0912345678")
    lan = applicant("Trần Thị Lan", email="lan@example.vn")
    return Setup(centre, officer, procedure, mai, lan)


def submission(setup: Setup, action: str = "submit", /, **files: Any) -> dict[str, Any]:
    """A complete POST of the online form."""
    return {
        "receiving_unit": str(setup.centre.pk),
        "name": "Nguyễn Thị Mai",
        "id_number": "087190001234",
        "phone": "0912345678",
        "email": "mai@example.vn",
        "address": "Ấp 1, xã Tháp Mười",
        "owner_name": "",
        "action": action,
        **files,
    }
