"""Statistics API routes (mounted under /api/v1/)."""

from django.urls import path

from motcua.stats.api.views import (
    DossierStatisticsView,
    FeedbackStatisticsView,
    TaskStatisticsView,
)

urlpatterns = [
    path("stats/dossiers/", DossierStatisticsView.as_view(), name="api-stats-dossiers"),
    path("stats/feedback/", FeedbackStatisticsView.as_view(), name="api-stats-feedback"),
    path("stats/tasks/", TaskStatisticsView.as_view(), name="api-stats-tasks"),
]
