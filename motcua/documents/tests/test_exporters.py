"""The exporter registry: one interface for every export, whatever the format."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from motcua.documents.exporters import (
    Exporter,
    ExportError,
    ExportFile,
    export,
    get_exporter,
    list_exporters,
    register,
    unregister,
)


class GreetingExporter(Exporter):
    identifier = "test.greeting"
    verbose_name = "Lời chào"
    formats = ("csv", "json")

    def render(self, params: Mapping[str, Any], fmt: str) -> ExportFile:
        name = self.param(params, "name")
        if fmt == "csv":
            return ExportFile("chao.csv", "text/csv", f"ten\n{name}\n".encode())
        return ExportFile("chao.json", "application/json", f'{{"ten": "{name}"}}'.encode())


@pytest.fixture
def greeting() -> Iterator[type[Exporter]]:
    register(GreetingExporter)
    yield GreetingExporter
    unregister(GreetingExporter.identifier)


def test_registered_exporter_renders_each_of_its_formats(greeting: type[Exporter]) -> None:
    assert greeting in list_exporters()
    assert export("test.greeting", {"name": "Bình"}, "csv") == (
        "chao.csv",
        "text/csv",
        "ten\nBình\n".encode(),
    )
    filename, content_type, _data = get_exporter("test.greeting").render({"name": "An"}, "json")
    assert (filename, content_type) == ("chao.json", "application/json")


def test_unsupported_format_and_missing_parameter_are_clear(greeting: type[Exporter]) -> None:
    with pytest.raises(ExportError, match="không xuất được định dạng “pdf”"):
        export("test.greeting", {"name": "Bình"}, "pdf")
    with pytest.raises(ExportError, match="thiếu tham số “name”"):
        export("test.greeting", {}, "csv")


def test_unknown_identifier_is_refused() -> None:
    with pytest.raises(ExportError, match="không có mẫu xuất"):
        get_exporter("test.nothing")


def test_identifiers_are_unique(greeting: type[Exporter]) -> None:
    class Impostor(GreetingExporter):
        pass

    with pytest.raises(ExportError, match="đã được đăng ký"):
        register(Impostor)
    register(GreetingExporter)  # registering the same class again is harmless


def test_exporter_needs_an_identifier_and_formats() -> None:
    class Nameless(Exporter):
        formats = ("csv",)

    with pytest.raises(ExportError, match="identifier"):
        register(Nameless)


def test_apps_register_theirs_in_documents_modules() -> None:
    # motcua.dossiers.documents is found by autodiscovery, never imported by this floor
    assert "dossier.receipt" in {e.identifier for e in list_exporters()}
