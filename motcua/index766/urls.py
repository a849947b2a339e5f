"""Web pages of the 766 index (mounted under /chi-so/)."""

from django.urls import path

from motcua.index766 import mapping_views, views, warning_views

app_name = "index766"
urlpatterns = [
    path("", views.index_page, name="index"),
    path("danh-sach/", views.figure_records, name="list"),
    path("xep-hang/", views.league_page, name="league"),
    path("canh-bao/", warning_views.warnings_page, name="warnings"),
    path("ghep-don-vi/", mapping_views.mapping_list, name="mapping"),
    path("ghep-don-vi/<int:pk>/", mapping_views.mapping_edit, name="mapping-edit"),
]
