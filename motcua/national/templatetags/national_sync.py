"""`{% national_sync_state dossier as sync %}`: the dossier's synchronisation state for a page."""

from __future__ import annotations

from django import template

from motcua.dossiers.models import Dossier
from motcua.national.selectors import SyncState, sync_state

register = template.Library()


@register.simple_tag
def national_sync_state(dossier: Dossier) -> SyncState:
    """The synchronisation state of `dossier` (see selectors.sync_state)."""
    return sync_state(dossier)
