"""Web routes (Vietnamese paths)."""

from django.urls import path

from motcua.web import second_factor, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    # Second factor (TOTP, issue 16)
    path("dang-nhap/ma-xac-thuc/", second_factor.verify, name="second-factor"),
    path("xac-thuc-hai-lop/", second_factor.enrol, name="second-factor-enrol"),
    path("don-vi/", views.unit_tree, name="units"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit"),
]
