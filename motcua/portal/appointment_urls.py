"""Citizen routes of appointments (app_name "portal"), and the desk's routes (/ho-so/lich-hen/)."""

from django.urls import path

from motcua.portal import appointment_views as views

# Included at "" by portal/urls.py under app_name "portal".
urlpatterns = [
    path("thu-tuc/<str:code>/dat-lich/", views.book, name="appointment_book"),
    path("lich-hen/", views.lookup, name="appointment_lookup"),
    path("lich-hen/huy/", views.cancel, name="appointment_cancel"),
    path("lich-hen/<str:code>/da-dat/", views.booked, name="appointment_booked"),
    path("tai-khoan/lich-hen/<str:code>/huy/", views.cancel_own, name="appointment_cancel_own"),
]
