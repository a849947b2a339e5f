"""`motcua backup` / `motcua restore`: back up, wipe, restore, and every statistic and file is
the same; damaged, foreign, newer or unforced restores change nothing (issue 16 item 7).

Runs on the test database of the run: SQLite (in memory, the online backup API) or, when the
suite runs on PostgreSQL (`DATABASE_URL=$TEST_DATABASE_URL`), `pg_dump` / `pg_restore`.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from motcua.assignments.models import Task
from motcua.assignments.tests.support import row, write_csv
from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.files import attach_file
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.feedback.choices import FeedbackState
from motcua.feedback.models import Feedback
from motcua.feedback.tests.factories import advance, make_categories, make_feedback

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

STATISTICS = [
    ("stats", "dossiers", "--unit", "C1", "--period", "2025-M03"),
    ("stats", "dossiers", "--unit", "D1", "--period", "2025-Q1", "--by", "procedure"),
    ("stats", "dossiers", "--unit", "C1", "--period", "2025-M03", "--view", "desk"),
    ("stats", "feedback", "--unit", "DT", "--period", "2025-M03", "--by", "unit"),
    ("stats", "tasks", "--unit", "DT", "--period", "2023-Q3"),
    ("index", "services", "--unit", "C1", "--period", "2025-M03"),
]


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def failing(*args: str, capsys: Any) -> str:
    """Run a command that must refuse: exit status 1, its message (stderr) returned."""
    with pytest.raises(SystemExit) as info:
        call_command(*args, stdout=io.StringIO())
    assert info.value.code == 1
    return capsys.readouterr().err


def statistics() -> dict[str, Any]:
    return {" ".join(a): json.loads(command(*a, "--format", "json")) for a in STATISTICS}


def files(media: Path) -> dict[str, bytes]:
    return {
        p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()
    }


def build(province: Province, tmp_path: Path) -> None:
    """Dossiers in several states with files, answered feedback and tasks handed down."""
    root = make_user("root", is_superuser=True)
    unit = province.commune_a
    procedures = [make_procedure(f"1.00{n:04d}", units=[unit], amount=n) for n in (3, 10)]
    for i in range(6):
        dossier = services.receive_dossier(
            actor=root,
            procedure=procedures[i % 2],
            receiving_unit=unit,
            applicant={**APPLICANT, "name": f"Người nộp {i}"},
            channel=("direct", "online", "postal")[i % 3],
            at=local(2025, 3, 3 + i, 9),
        )
        dossier = services.transfer_dossier(
            dossier=dossier, actor=root, to_unit=unit, at=local(2025, 3, 3 + i, 10)
        )
        if i % 3 == 0:
            services.resolve_dossier(dossier=dossier, actor=root, at=local(2025, 3, 12 + i, 15))
        elif i % 3 == 1:
            services.refuse_dossier(
                dossier=dossier, actor=root, reason="Không đủ điều kiện", at=local(2025, 3, 20, 9)
            )
        else:  # still open: papers can be attached (attaching is stamped now, not in 2025)
            for n in range(3):
                upload = SimpleUploadedFile(f"to-khai-{i}-{n}.pdf", PDF + f"% {i} {n}\n".encode())
                attach_file(dossier=dossier, actor=root, upload=upload, kind="component")
    make_categories(province)
    for i, state in enumerate([FeedbackState.ANSWERED, FeedbackState.RECEIVED]):
        item = make_feedback(unit=unit, at=local(2025, 3, 4 + i, 9))
        advance(item, state, actor=root, at=local(2025, 3, 10, 9))
    tasks = [row(f"T{i}", due_on="2023-08-01", lead_unit_code="VP") for i in range(3)]
    tasks[0] |= {"reported_done_on": "2023-07-20", "confirmed_on": "2023-07-30"}
    command("import", "tasks", str(write_csv(tmp_path / "tasks.csv", tasks)))


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_gives_back_every_statistic_and_file(
    province: Province, media: Path, tmp_path: Path, capsys: Any
) -> None:
    build(province, tmp_path)
    before, stored = statistics(), files(media)
    assert len(stored) == 6 and Dossier.objects.count() == 6
    assert Feedback.objects.count() == 2 and Task.objects.count() == 3
    assert before["stats dossiers --unit C1 --period 2025-M03"]["received"]["total"] == 6
    counts = (DossierEvent.objects.count(), DossierFile.objects.count())

    out = tmp_path / "backup"
    assert "6 tệp tải lên" in command("backup", "--out", str(out))
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["database"]["vendor"] == connection.vendor
    assert "dossiers.0001_initial" in manifest["migrations"]
    listed = {f["path"]: f["size"] for f in manifest["files"]}
    assert {f"media/{p}": len(b) for p, b in stored.items()}.items() <= listed.items()
    # A second backup into the same directory is refused: a backup never overwrites one.
    assert "không trống" in failing("backup", "--out", str(out), capsys=capsys)

    call_command("flush", "--noinput")  # the wipe: every row and every uploaded file
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    assert Dossier.objects.count() == 0 and files(media) == {}

    assert "6 tệp tải lên" in command("restore", str(out))
    assert statistics() == before
    assert files(media) == stored
    assert (DossierEvent.objects.count(), DossierFile.objects.count()) == counts
    restored = DossierFile.objects.first()
    assert restored is not None and restored.file.read() == stored[restored.file.name]


def edit_manifest(directory: Path, **changes: Any) -> None:
    path = directory / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    for key, value in changes.items():
        if key == "vendor":
            manifest["database"]["vendor"] = value
        elif key == "server_major":
            manifest["database"]["server_major"] = value
        else:
            manifest[key] = value
    path.write_text(json.dumps(manifest), "utf-8")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_and_changes_nothing(
    province: Province, media: Path, tmp_path: Path, capsys: Any
) -> None:
    """Damaged file, other vendor, newer migrations, a database in use: exit 1, nothing changed."""
    root = make_user("root", is_superuser=True)
    procedure = make_procedure(units=[province.commune_a])
    dossier = services.receive_dossier(
        actor=root,
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 3, 9),
    )
    attach_file(
        dossier=dossier, actor=root, upload=SimpleUploadedFile("a.pdf", PDF), kind="component"
    )
    out = tmp_path / "backup"
    command("backup", "--out", str(out))
    services.receive_dossier(  # written after the backup: a restore would remove it
        actor=root,
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 3, 9),
    )
    state = (Dossier.objects.count(), files(media))

    stored = next(p for p in (out / "media").rglob("*") if p.is_file())
    original = stored.read_bytes()
    stored.write_bytes(original[:-1] + b"X")
    message = failing("restore", str(out), "--force", capsys=capsys)
    assert "SHA-256" in message and "không khớp" in message and "does not match" in message
    assert (Dossier.objects.count(), files(media)) == state
    stored.write_bytes(original)

    (out / "manifest.json").rename(out / "m.json")
    assert "thiếu manifest.json" in failing("restore", str(out), capsys=capsys)
    (out / "m.json").rename(out / "manifest.json")

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    edit_manifest(out, vendor=other)
    assert "không khôi phục chéo" in failing("restore", str(out), "--force", capsys=capsys)
    edit_manifest(out, vendor=connection.vendor)

    if connection.vendor == "postgresql":
        edit_manifest(out, server_major=99)
        assert "cùng phiên bản chính" in failing("restore", str(out), "--force", capsys=capsys)
        major = connection.pg_version // 10000  # type: ignore[attr-defined]
        edit_manifest(out, server_major=major)

    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    edit_manifest(out, migrations=[*manifest["migrations"], "dossiers.9999_from_the_future"])
    message = failing("restore", str(out), "--force", capsys=capsys)
    assert "migration mới hơn" in message and "9999_from_the_future" in message
    edit_manifest(out, migrations=manifest["migrations"])

    message = failing("restore", str(out), capsys=capsys)
    assert "--force" in message and "not empty" in message
    assert (Dossier.objects.count(), files(media)) == state

    command("restore", str(out), "--force")
    assert Dossier.objects.count() == 1
    assert files(media) == {
        p.relative_to(out / "media").as_posix(): p.read_bytes()
        for p in (out / "media").rglob("*")
        if p.is_file()
    }
