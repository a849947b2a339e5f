"""Public look-up routes (no account): procedures, dossier status, rating."""

from django.urls import path

from motcua.portal import lookup_views as views

# Included at "" by portal/urls.py under app_name "portal".
urlpatterns = [
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("tra-cuu/", views.status, name="status"),
    path("danh-gia/", views.rate, name="rate"),
    path("danh-gia/da-gui/", views.rated, name="rated"),
    path("danh-gia/<str:token>/", views.rate_token, name="rate_token"),
]
