"""API routes of this app (mounted under /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from motcua.dossiers.api.papers import DossierPaperListView, DossierPaperView
from motcua.dossiers.api.views import DossierViewSet

router = SimpleRouter()
router.register("dossiers", DossierViewSet, basename="dossier")
urlpatterns = [
    *router.urls,
    path("dossiers/<str:code>/papers/", DossierPaperListView.as_view(), name="dossier-papers"),
    path(
        "dossiers/<str:code>/papers/<slug:key>/",
        DossierPaperView.as_view(),
        name="dossier-paper",
    ),
]
