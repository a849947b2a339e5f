"""Dossier papers in the API: the list a dossier's state allows, and one paper as PDF or DOCX.

`GET /api/v1/dossiers/{code}/papers/` and `GET /api/v1/dossiers/{code}/papers/{key}/?format=`
`pdf|docx`. The dossier is read through the user's scope (404 outside it); a paper its state
does not allow is a 404; without the right to the applicant's data, 403.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.documents.render import DOCX, PDF, DocumentError
from motcua.dossiers.api.serializers import ErrorSerializer
from motcua.dossiers.paper_views import paper_file_response, render_paper
from motcua.dossiers.papers import BY_KEY, PAPER_TYPES, papers_for
from motcua.dossiers.selectors import get_dossier_for_user


class PaperSerializer(serializers.Serializer):
    """A paper the dossier has: its key, its Vietnamese name and its two download links."""

    key = serializers.ChoiceField(choices=[p.key for p in PAPER_TYPES])
    name = serializers.CharField()
    pdf_url = serializers.CharField(help_text="mở bản PDF (inline)")
    docx_url = serializers.CharField(help_text="tải bản DOCX (attachment)")


class _FileRenderer(BaseRenderer):
    """Declares a binary format so that `?format=` selects it; the view returns the bytes."""

    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> Any:
        """Only error bodies pass through here; files are returned as HttpResponse."""
        return JSONRenderer().render(data)


class PdfRenderer(_FileRenderer):
    """application/pdf."""

    media_type = PDF
    format = "pdf"


class DocxRenderer(_FileRenderer):
    """The Word document type."""

    media_type = DOCX
    format = "docx"


_NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Không có hồ sơ (hoặc ngoài phạm vi)")
_FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Không có quyền in giấy tờ của hồ sơ")


def _api_url(request: Request, code: str, key: str, fmt: str) -> str:
    path = reverse("dossier-paper", kwargs={"code": code, "key": key})
    return request.build_absolute_uri(f"{path}?format={fmt}")


class DossierPaperListView(APIView):
    """Papers the dossier's state and history allow — giấy tờ của hồ sơ."""

    @extend_schema(
        responses={200: PaperSerializer(many=True), 404: _NOT_FOUND},
        summary="Giấy tờ của hồ sơ",
        operation_id="dossiers_papers_list",
    )
    def get(self, request: Request, code: str) -> Response:
        """Each paper with its key, name, and PDF and DOCX URLs (empty for a read-only viewer)."""
        dossier = get_dossier_for_user(request.user, code, full=True)
        rows = [
            {
                "key": p.key,
                "name": str(p.name),
                "pdf_url": _api_url(request, code, p.key, "pdf"),
                "docx_url": _api_url(request, code, p.key, "docx"),
            }
            for p in papers_for(request.user, dossier)
        ]
        return Response(PaperSerializer(rows, many=True).data)


class DossierPaperView(APIView):
    """One paper of the dossier as PDF (inline) or DOCX (attachment)."""

    renderer_classes = [PdfRenderer, DocxRenderer, JSONRenderer]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        """Errors answer in JSON whatever `?format=` asked for."""
        if isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["pdf", "docx"],
                description="pdf (mặc định) hoặc docx",
            ),
            OpenApiParameter(
                "key",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=[p.key for p in PAPER_TYPES],
                description="loại giấy tờ",
            ),
        ],
        responses={
            (200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description="Bản PDF"),
            (200, DOCX): OpenApiResponse(OpenApiTypes.BINARY, description="Bản DOCX"),
            403: _FORBIDDEN,
            404: _NOT_FOUND,
            503: OpenApiResponse(ErrorSerializer, description="Không chuyển được sang PDF"),
        },
        summary="Tải một giấy tờ của hồ sơ",
        operation_id="dossiers_papers_retrieve",
    )
    def get(self, request: Request, code: str, key: str) -> Any:
        """Render the paper `key` of the dossier `code`."""
        fmt = request.query_params.get("format") or "pdf"
        dossier = get_dossier_for_user(request.user, code, full=True)
        if key not in BY_KEY:
            return Response({"detail": "không có loại giấy tờ này"}, status=404)
        try:
            file = render_paper(request.user, dossier, key, fmt)
        except DocumentError as exc:
            return Response({"detail": exc.message}, status=503)
        response: HttpResponse = paper_file_response(file, inline=fmt == "pdf")
        return response
