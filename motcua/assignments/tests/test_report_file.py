"""A report's evidence file: downloaded by whoever sees the task, 404 for anyone else."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.assignments.models import SourceDocument
from motcua.assignments.services import assign_task, report_progress


def test_the_evidence_file_is_a_download_within_the_scope(
    people: dict, province: Any, letter: SourceDocument, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    task = assign_task(
        document=letter, code="EV", title="Số hóa hồ sơ", lead_unit=province.district, actor=None
    )
    report = report_progress(
        task=task,
        text="Đã số hóa một phần",
        file=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n"),
        actor=people["dana"],
    )
    client = Client()
    client.force_login(people["dana"])
    detail = client.get("/nhiem-vu/EV/").content.decode()
    url = f"/nhiem-vu/EV/bao-cao/{report.pk}/tep/"
    assert f'href="{url}"' in detail and "Tải tệp minh chứng (bao-cao.pdf)" in detail
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response) == b"%PDF-1.4\n"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    outsider = Client()
    outsider.force_login(people["ivan"])  # inspects the other district
    assert outsider.get(url).status_code == 404
    assert client.get(f"/nhiem-vu/EV/bao-cao/{report.pk + 1}/tep/").status_code == 404


def test_an_evidence_file_passes_the_upload_checks_or_nothing_is_written(
    people: dict, province: Any, letter: SourceDocument, settings: Any, tmp_path: Any
) -> None:
    import pytest

    from motcua.assignments.models import ProgressReport
    from motcua.assignments.services import TaskError, report_completion

    settings.MEDIA_ROOT = tmp_path
    task = assign_task(
        document=letter, code="EV2", title="Số hóa hồ sơ", lead_unit=province.district, actor=None
    )
    script = SimpleUploadedFile("minh-chung.html", b"%PDF-1.4\n<script>alert(1)</script>")
    with pytest.raises(TaskError) as refused:
        report_progress(task=task, text="Đã làm", file=script, actor=people["dana"])
    assert refused.value.field == "file"
    with pytest.raises(TaskError) as refused:
        report_completion(
            task=task,
            text="Xong",
            evidence="",
            file=SimpleUploadedFile("ket-qua.pdf.exe", b"MZ\x90\x00"),
            actor=people["dana"],
        )
    assert refused.value.field == "file"
    assert not ProgressReport.objects.filter(task=task).exists()
    assert list(tmp_path.rglob("*.*")) == []
    task.refresh_from_db()
    assert task.status == "not_started"
