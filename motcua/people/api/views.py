"""People API: the signed-in user and memberships in scope."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.lib.api import ScopedReadOnlyViewSet
from motcua.people.api.serializers import MembershipSerializer, MeSerializer
from motcua.people.choices import Role
from motcua.people.models import Membership


class MembershipFilterSet(django_filters.FilterSet):
    """Filter memberships by unit code, role and user."""

    unit = django_filters.CharFilter(field_name="unit__code")
    role = django_filters.ChoiceFilter(choices=Role.choices)
    username = django_filters.CharFilter(field_name="user__username")

    class Meta:
        model = Membership
        fields = ["unit", "role", "username"]


class MembershipViewSet(ScopedReadOnlyViewSet):
    """Roles held in units the user may see — vai trò tại đơn vị."""

    scoped_model = Membership
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("user", "unit")


class MeView(APIView):
    """The signed-in user — người dùng hiện tại."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
