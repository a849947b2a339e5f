"""The exporter registry: every report, paper and export behind one interface (pretix-style).

An exporter is a class with a stable `identifier`, a `verbose_name`, the `formats` it can
produce and one method, `render(params, fmt) -> ExportFile`. Apps register theirs in a
module named `documents.py` (imported on first use, like Django's admin autodiscovery), so
this floor never imports the apps above it:

    @register
    class ReceiptExporter(Exporter):
        identifier = "dossier.receipt"
        ...
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any, NamedTuple, TypeVar

from django.utils.module_loading import autodiscover_modules

from motcua.documents.render import DocumentError


class ExportFile(NamedTuple):
    """What an exporter returns: a file name, its content type and its bytes."""

    filename: str
    content_type: str
    data: bytes


class ExportError(DocumentError):
    """Unknown exporter, unsupported format or bad parameters."""


class Exporter(abc.ABC):
    """Base class of exporters; subclasses set the class attributes and implement `render`."""

    identifier: str = ""
    verbose_name: str = ""
    formats: tuple[str, ...] = ()

    @abc.abstractmethod
    def render(self, params: Mapping[str, Any], fmt: str) -> ExportFile:
        """Produce the file for `params` in format `fmt`."""

    def check_format(self, fmt: str) -> str:
        """`fmt` if this exporter produces it, else a clear `ExportError`."""
        if fmt not in self.formats:
            raise ExportError(
                f"“{self.verbose_name}” không xuất được định dạng “{fmt}” "
                f"(chỉ: {', '.join(self.formats)})"
            )
        return fmt

    @staticmethod
    def param(params: Mapping[str, Any], name: str) -> Any:
        """A required parameter, or a clear `ExportError` naming it."""
        if params.get(name) in (None, ""):
            raise ExportError(f"thiếu tham số “{name}”")
        return params[name]


_REGISTRY: dict[str, type[Exporter]] = {}
E = TypeVar("E", bound=type[Exporter])
_discovered = False


def register(cls: E) -> E:
    """Class decorator: add an exporter to the registry (identifiers are unique)."""
    if not cls.identifier or not cls.formats:
        raise ExportError(f"{cls.__name__} cần identifier và formats")
    existing = _REGISTRY.get(cls.identifier)
    if existing is not None and existing.__qualname__ != cls.__qualname__:
        raise ExportError(f"exporter “{cls.identifier}” đã được đăng ký bởi {existing.__name__}")
    _REGISTRY[cls.identifier] = cls
    return cls


def unregister(identifier: str) -> None:
    """Remove an exporter (tests)."""
    _REGISTRY.pop(identifier, None)


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("documents")
        _discovered = True


def list_exporters() -> list[type[Exporter]]:
    """Every registered exporter, by identifier."""
    _discover()
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def get_exporter(identifier: str) -> Exporter:
    """An instance of the exporter registered under `identifier`."""
    _discover()
    cls = _REGISTRY.get(identifier)
    if cls is None:
        raise ExportError(f"không có mẫu xuất “{identifier}”")
    return cls()


def export(identifier: str, params: Mapping[str, Any], fmt: str) -> ExportFile:
    """Look the exporter up, check the format and render."""
    exporter = get_exporter(identifier)
    exporter.check_format(fmt)
    return exporter.render(params, fmt)
