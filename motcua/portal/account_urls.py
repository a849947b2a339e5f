"""The applicant's routes: account, online submission, payment (app_name "portal")."""

from django.urls import path

from motcua.portal import account_views, result_views, submit_views

# Included at "" by portal/urls.py under app_name "portal".
urlpatterns = [
    path("tai-khoan/", account_views.account, name="account"),
    path(
        "tai-khoan/ket-qua/<str:code>/<int:file_id>/",
        result_views.result_file,
        name="result_file",
    ),
    path("tai-khoan/dang-ky/", account_views.register, name="register"),
    path("tai-khoan/dang-nhap/", account_views.login_view, name="login"),
    path("tai-khoan/dang-xuat/", account_views.logout_view, name="logout"),
    path(
        "tai-khoan/dang-nhap/<slug:provider>/",
        account_views.identity_start,
        name="identity_start",
    ),
    path(
        "tai-khoan/dang-nhap/<slug:provider>/xong/",
        account_views.identity_return,
        name="identity_return",
    ),
    path("nop-ho-so/nhap/<int:pk>/", submit_views.draft, name="draft"),
    path("nop-ho-so/ho-so/<int:pk>/tep/<int:file_id>/", submit_views.own_file, name="own_file"),
    path("nop-ho-so/<str:code>/da-nop/", submit_views.submitted, name="submitted"),
    path("nop-ho-so/<str:code>/thanh-toan/", submit_views.pay, name="pay"),
    path("nop-ho-so/<str:code>/thanh-toan/thu/", submit_views.pay_demo, name="pay_demo"),
    path("nop-ho-so/<str:code>/thanh-toan/ket-qua/", submit_views.pay_return, name="pay_return"),
    path("nop-ho-so/<str:code>/", submit_views.submit, name="submit"),
]
