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
