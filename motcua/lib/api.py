"""Base API classes: every viewset reads through the model's `visible_to(user)` scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from motcua.lib.apiinput import ASCII_DIGITS_MESSAGE, has_foreign_digits
from motcua.lib.idempotency import IdempotentWritesMixin


class ScopedReadOnlyViewSet(IdempotentWritesMixin, viewsets.ReadOnlyModelViewSet):
    """Read-only viewset whose queryset is always `Model.objects.visible_to(request.user)`.

    Subclasses set `scoped_model` and may refine with `refine_queryset`; they never replace
    the scope, so an object outside it answers 404 exactly like a missing one. Every write
    route honours an `Idempotency-Key` header (`motcua.lib.idempotency`).
    """

    scoped_model: Any = None

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        """Refuse a code in the path written with digits of another script (400, not 404)."""
        errors = {
            k: [str(ASCII_DIGITS_MESSAGE)] for k, v in kwargs.items() if has_foreign_digits(v)
        }
        if errors:
            # Who asks still comes first: anonymous 401, forbidden 403, then the 400.
            self.perform_authentication(request)
            self.check_permissions(request)
            raise serializers.ValidationError(errors)
        super().initial(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        base = self.scoped_model.objects.visible_to(self.request.user)
        return self.refine_queryset(base)

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        """Add select_related, ordering or annotations; never widen the scope."""
        return queryset
