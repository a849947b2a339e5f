"""Web pages of the stats app (mounted under /thong-ke/)."""

from django.urls import path

from motcua.stats import export_views, feedback_views, task_views, views

app_name = "stats"
urlpatterns = [
    path("", views.statistics_page, name="index"),
    path("ho-so/", views.figure_dossiers, name="dossiers"),
    path("bieu-06/<str:fmt>/", export_views.bieu06, name="bieu06"),
    path("phan-anh/", feedback_views.feedback_page, name="feedback"),
    path("phan-anh/danh-sach/", feedback_views.feedback_list, name="feedback-list"),
    path("nhiem-vu/", task_views.task_statistics_page, name="tasks"),
    path("nhiem-vu/danh-sach/", task_views.task_figure_list, name="tasks-list"),
]
