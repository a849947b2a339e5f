"""People representations for the API; phone numbers are masked."""

from __future__ import annotations

from rest_framework import serializers

from motcua.people.models import Membership, User


class MembershipSerializer(serializers.ModelSerializer):
    """A role held in a unit."""

    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.full_name")
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = Membership
        fields = [
            "id",
            "username",
            "full_name",
            "unit_code",
            "unit_name",
            "role",
            "role_label",
            "valid_from",
            "valid_to",
        ]


class MeSerializer(serializers.ModelSerializer):
    """The signed-in user, their memberships and the actions they may perform."""

    phone = serializers.CharField(source="masked_phone")
    memberships = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "phone", "memberships", "actions"]

    def get_memberships(self, user: User) -> list[dict]:
        from django.utils import timezone

        rows = user.memberships.active_on(timezone.localdate()).select_related("user", "unit")
        return MembershipSerializer(rows, many=True).data  # type: ignore[return-value]

    def get_actions(self, user: User) -> list[str]:
        from motcua.people.policy import allowed_actions

        return sorted(allowed_actions(user))
