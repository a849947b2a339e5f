"""`GET /api/v1/dossiers/{code}/national-sync/`: the dossier's synchronisation state.

A separate read-only resource rather than a field of the dossier detail: the dossiers app
sits below this one and never imports it (STYLE.md floors). The dossier is read through the
user's scope: outside it, 404 like a missing one.
"""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.dossiers.api.serializers import ErrorSerializer
from motcua.dossiers.selectors import get_dossier_for_user
from motcua.national.api.serializers import SyncStateSerializer
from motcua.national.selectors import sync_state


class DossierSyncStateView(APIView):
    """Trạng thái đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia."""

    @extend_schema(
        responses={
            200: SyncStateSerializer,
            404: OpenApiResponse(
                ErrorSerializer, description="Không có hồ sơ (hoặc ngoài phạm vi)"
            ),
        },
        summary="Trạng thái đồng bộ Cổng Dịch vụ công quốc gia",
        operation_id="dossiers_national_sync_retrieve",
    )
    def get(self, request: Request, code: str) -> Response:
        """The state, its Vietnamese label, the counts and the next attempt."""
        dossier = get_dossier_for_user(request.user, code)
        return Response(SyncStateSerializer(asdict(sync_state(dossier))).data)
