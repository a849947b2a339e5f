"""API routes of this app (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from motcua.procedures.api.views import FieldViewSet, ProcedureViewSet

router = SimpleRouter()
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("fields", FieldViewSet, basename="field")
urlpatterns = router.urls
