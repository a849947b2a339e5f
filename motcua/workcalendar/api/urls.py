"""API routes of the working calendar (mounted under /api/v1/calendar/)."""

from django.urls import path

from motcua.workcalendar.api.views import CalendarDaysView, CalendarDueView

urlpatterns = [
    path("days/", CalendarDaysView.as_view(), name="calendar-days"),
    path("due/", CalendarDueView.as_view(), name="calendar-due"),
]
