"""Open311 GeoReport v2 routes (mounted at /open311/v2/): `<resource>.<format>`, json only."""

from django.urls import URLPattern, URLResolver, re_path

from motcua.feedback.open311 import views

app_name = "open311"
FORMAT = r"\.(?P<response_format>[a-z]+)$"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^services" + FORMAT, views.service_list, name="services"),
    re_path(
        r"^services/(?P<service_code>[-\w]+)" + FORMAT,
        views.service_definition,
        name="service-definition",
    ),
    re_path(r"^requests" + FORMAT, views.requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/.]+)" + FORMAT, views.request_detail, name="request"),
]
