"""Web pages of the working calendar (mounted at /lich/)."""

from django.urls import path

from motcua.workcalendar import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.year, name="year"),
]
