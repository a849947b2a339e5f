from django.urls import path
from rest_framework.routers import SimpleRouter

from motcua.people.api.views import MembershipViewSet, MeView

router = SimpleRouter()
router.register("memberships", MembershipViewSet, basename="membership")
urlpatterns = [path("me/", MeView.as_view(), name="api-me"), *router.urls]
