"""The Django admin's sign-in (`/admin/login/`) under the same budgets as the others.

Routed before `admin.site.urls`; every post counts against the address (`ADMIN_SIGN_IN_LIMIT`)
and a failed one against the account typed (motcua/lib/signin.py). The second factor
(motcua/web/second_factor.py) then applies to admin users as to every officer.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from motcua.lib.ratelimit import Limit
from motcua.lib.signin import count_failure
from motcua.web.views import refuse_sign_in

ADMIN_SIGN_IN_LIMIT = Limit("admin-sign-in", count=30, seconds=600)


@never_cache
@csrf_protect
def admin_login(request: HttpRequest) -> HttpResponse:
    """`admin.site.login`, refused with 429 once the address or the account is used up."""
    if request.method != "POST":
        return admin.site.login(request)
    refused = refuse_sign_in(request, ADMIN_SIGN_IN_LIMIT)
    if refused is not None:
        return refused
    response = admin.site.login(request)
    if not (request.user.is_authenticated and request.user.is_staff):
        count_failure(str(request.POST.get("username", "")))
    return response
