"""Only the calendar API, to check its schema in isolation."""

from django.urls import include, path

urlpatterns = [path("api/v1/calendar/", include("motcua.workcalendar.api.urls"))]
