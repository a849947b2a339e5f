"""Public feedback routes under /phan-anh/ (no account needed)."""

from django.urls import path

from motcua.feedback import public_views as views

app_name = "feedback_public"
urlpatterns = [
    path("", views.answer_list, name="list"),
    path("gui/", views.submit, name="submit"),
    path("gui/da-gui/", views.receipt, name="receipt"),
    path("tra-cuu/", views.follow, name="follow"),
    path("tra-cuu/ket-thuc/", views.forget, name="forget"),
    path("<str:code>/", views.answer, name="answer"),
    path("<str:code>/binh-chon/", views.vote, name="vote"),
]
