"""Web pages of the PAR Index (mounted under /chi-so-cchc/)."""

from django.urls import path

from motcua.par import computed_views, process_views, unit_views, views

app_name = "par"
urlpatterns = [
    path("", views.results_page, name="results"),
    # The process of §4 (rounds, self-assessment, appraisal): before the unit page, which
    # would otherwise take "quy-trinh" for a unit code.
    path("<str:set_code>/quy-trinh/", process_views.process_page, name="process"),
    path("<str:set_code>/quy-trinh/vong/", process_views.add_round, name="add_round"),
    path("<str:set_code>/quy-trinh/vong/<int:pk>/dong/", process_views.close_round, name="close"),
    path("<str:set_code>/quy-trinh/cong-bo/", process_views.publish, name="publish"),
    path("<str:set_code>/quy-trinh/sao-chep/", process_views.copy_set, name="copy_set"),
    path("<str:set_code>/<str:unit_code>/tu-danh-gia/", process_views.self_assessment, name="self"),
    path("<str:set_code>/<str:unit_code>/tham-dinh/", process_views.appraisal, name="appraise"),
    path(
        "<str:set_code>/<str:unit_code>/minh-chung/<int:pk>/",
        process_views.evidence_file,
        name="evidence",
    ),
    # Computed leaves (§8): the records behind one, the appraiser's override.
    path(
        "<str:set_code>/<str:unit_code>/tu-tinh/<str:criterion_code>/",
        computed_views.records_page,
        name="computed_records",
    ),
    path(
        "<str:set_code>/<str:unit_code>/tu-tinh/<str:criterion_code>/dieu-chinh/",
        computed_views.override,
        name="override",
    ),
    path("<str:set_code>/<str:unit_code>/", unit_views.unit_page, name="unit"),
    path("<str:set_code>/<str:unit_code>/cong-suc/", unit_views.set_effort, name="effort"),
    path("<str:set_code>/<str:unit_code>/giao-nhiem-vu/", unit_views.create_task, name="task"),
]
