"""API routes of this app (mounted under /api/v1/)."""

from django.urls import path

from motcua.national.api.views import DossierSyncStateView

urlpatterns = [
    path(
        "dossiers/<str:code>/national-sync/",
        DossierSyncStateView.as_view(),
        name="dossier-national-sync",
    ),
]
