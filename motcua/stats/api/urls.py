"""Statistics API routes (mounted under /api/v1/)."""

from django.urls import path

from motcua.stats.api.views import DossierStatisticsView

urlpatterns = [
    path("stats/dossiers/", DossierStatisticsView.as_view(), name="api-stats-dossiers"),
]
