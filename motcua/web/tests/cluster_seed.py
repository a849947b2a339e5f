"""Data for the cluster test (motcua/web/tests/test_cluster.py), written on the primary through
the services: one commune, its one-stop officer and three received dossiers. Run as
`motcua manage shell -c "from motcua.web.tests.cluster_seed import seed; seed()"`."""

from __future__ import annotations

from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.tests.factories import APPLICANT, make_procedure
from motcua.people.choices import Role
from motcua.people.models import Membership, User
from motcua.units.models import Unit

USERNAME = "canbo.cluster"
PASSWORD = "cluster-test-password-1"


def seed() -> None:
    """Create the unit, the officer and three dossiers; print the dossiers' codes."""
    unit = Unit.objects.create(code="XC", name="Ủy ban nhân dân xã Mỹ An", level="commune")
    user = User.objects.create_user(username=USERNAME, password=PASSWORD, full_name="Cán bộ")
    Membership.objects.create(user=user, unit=unit, role=Role.ONE_STOP_OFFICER)
    procedure = make_procedure(units=[unit])
    now = timezone.now()
    for _ in range(3):
        dossier = services.receive_dossier(
            actor=user, procedure=procedure, receiving_unit=unit, applicant=APPLICANT, at=now
        )
        print(f"dossier-code {dossier.code}")
