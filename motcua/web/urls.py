"""Web routes (Vietnamese paths)."""

from django.urls import path

from motcua.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("don-vi/", views.unit_tree, name="units"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit"),
]
