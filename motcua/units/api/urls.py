from rest_framework.routers import SimpleRouter

from motcua.units.api.views import UnitViewSet

router = SimpleRouter()
router.register("units", UnitViewSet, basename="unit")
urlpatterns = router.urls
