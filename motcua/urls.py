"""URL configuration: web pages, the admin and the REST API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from motcua.web.admin_login import admin_login

urlpatterns = [
    # Guessing budgets (issue 16): the admin sign-in is limited like the others.
    path("admin/login/", admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("motcua.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lich/", include("motcua.workcalendar.urls")),
    # The desk's appointment book (portal app) before the dossier routes catch "lich-hen".
    path("ho-so/lich-hen/", include("motcua.portal.desk_urls")),
    path("ho-so/", include("motcua.dossiers.urls")),
    path("danh-muc-thu-tuc/", include("motcua.procedures.urls")),
    path("thong-ke/", include("motcua.stats.urls")),
    path("chi-so/", include("motcua.index766.urls")),
    path("chi-so-cchc/", include("motcua.par.urls")),
    path("pakn/", include("motcua.feedback.urls")),
    path("nhiem-vu/", include("motcua.assignments.urls")),
    path("bao-cao-cchc/", include("motcua.reports.urls")),
    path("phan-anh/", include("motcua.feedback.public_urls")),
    path("open311/v2/", include("motcua.feedback.open311.urls")),
    path("", include("motcua.portal.urls")),
    path("", include("motcua.web.urls")),
]

# JSON errors under /api/, the site's pages elsewhere (motcua/lib/apierrors.py).
handler404 = "motcua.lib.apierrors.page_not_found"
handler500 = "motcua.lib.apierrors.server_error"
