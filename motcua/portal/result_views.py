"""Download of a result from the applicant's account — tải kết quả giải quyết."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from motcua.portal.access import is_applicant
from motcua.portal.results import get_own_result, result_response


@require_GET
def result_file(request: HttpRequest, code: str, file_id: int) -> HttpResponseBase:
    """The result file of one of the signed-in applicant's own dossiers; 404 for anyone else.

    Anonymous visitors and other accounts get the same 404 as a missing file, so the
    address reveals nothing about whether the dossier or the file exists.
    """
    if not is_applicant(request.user):
        raise Http404
    dossier, item = get_own_result(request.user, code, file_id)
    return result_response(dossier, item)
