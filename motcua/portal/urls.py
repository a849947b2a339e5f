"""Portal routes (Vietnamese paths): public lookups, and the applicant's own pages."""

from django.urls import include, path

app_name = "portal"
urlpatterns = [
    path("", include("motcua.portal.lookup_urls")),
    path("", include("motcua.portal.account_urls")),
    path("", include("motcua.portal.appointment_urls")),
]
