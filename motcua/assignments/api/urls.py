"""API routes of the assignments app (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from motcua.assignments.api.views import TaskViewSet

router = SimpleRouter()
router.register("tasks", TaskViewSet, basename="task")
urlpatterns = router.urls
