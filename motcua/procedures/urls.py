"""Web pages of the procedures app (mounted at /danh-muc-thu-tuc/)."""

from django.urls import path

from motcua.procedures import confirmation_views, fee_views, views

app_name = "procedures"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("xac-nhan-thoi-han/", confirmation_views.time_limit_queue, name="time-limits"),
    path(
        "<str:code>/xac-nhan-thoi-han/",
        confirmation_views.time_limit_confirm,
        name="time-limit-confirm",
    ),
    path("<str:code>/", views.procedure_detail, name="detail"),
    path("<str:code>/phi-dia-phuong/", fee_views.local_fee_decision, name="local-fee"),
]
