"""API routes of this app (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from motcua.feedback.api.views import CategoryViewSet, FeedbackViewSet

router = SimpleRouter()
# Categories first: otherwise /feedback/categories/ would read as the item coded "categories".
router.register("feedback/categories", CategoryViewSet, basename="feedback-category")
router.register("feedback", FeedbackViewSet, basename="feedback")
urlpatterns = router.urls
