"""Index API routes (mounted under /api/v1/)."""

from django.urls import path

from motcua.index766.api.views import IndexServicesView

urlpatterns = [
    path("index/services/", IndexServicesView.as_view(), name="api-index-services"),
]
