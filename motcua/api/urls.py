"""Routes of /api/v1/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from motcua.audit.api.views import ObjectChangeViewSet

router = SimpleRouter()
router.register("changes", ObjectChangeViewSet, basename="change")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script from a URL, not inline (Content-Security-Policy).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="web/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("calendar/", include("motcua.workcalendar.api.urls")),
    path("", include("motcua.units.api.urls")),
    path("", include("motcua.people.api.urls")),
    path("", include("motcua.procedures.api.urls")),
    path("", include("motcua.dossiers.api.urls")),
    path("", include("motcua.national.api.urls")),
    path("", include("motcua.stats.api.urls")),
    path("", include("motcua.index766.api.urls")),
    path("", include("motcua.feedback.api.urls")),
    path("", include("motcua.assignments.api.urls")),
    *router.urls,
]
