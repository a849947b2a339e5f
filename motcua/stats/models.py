"""The daily roll-up of dossier flows the statistics read (docs/statistics.md §8).

Written only by the database triggers of `motcua.stats.rollup` (in the transaction of every
write to a dossier) and by `motcua stats rebuild-rollup`; never by hand.
"""

from __future__ import annotations

from django.db import models


class DossierRollup(models.Model):
    """Net flows of one bucket (a day, a week of a month, a month, a quarter, a year or a
    decade) for one key of dossiers.

    Key: the unit — the handling unit (competent, else receiving) in the cube BY_HANDLER, the
    receiving desk in BY_DESK; receipts are also counted per channel. Every counted stock at
    a midnight is a prefix sum of these flows; a prefix reads at most the decades before it,
    then at most 9 years, 3 quarters, 2 months, 4 weeks and 6 days (`rollup.buckets`).
    A week of a month is the days 1–7, 8–14, 15–21, 22–28 or 29 to the month's end.
    """

    DAY, MONTH, YEAR = 0, 1, 2
    WEEK, QUARTER, DECADE = 3, 4, 5  # since migration 0002

    cube = models.PositiveSmallIntegerField()  # which unit: rollup.BY_HANDLER or BY_DESK
    grain = models.PositiveSmallIntegerField()
    day = models.DateField()  # the first day of the bucket
    unit = models.IntegerField()  # the handling unit (cube BY_HANDLER) or the desk (BY_DESK)
    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    received_direct = models.IntegerField(default=0)
    received_postal = models.IntegerField(default=0)
    exited = models.IntegerField(default=0)  # left the counted stock (finished)
    early = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    refused = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    overdue_in = models.IntegerField(default=0)
    overdue_out = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cube", "grain", "day", "unit"],
                name="stats_rollup_key",
            )
        ]
        verbose_name = "số liệu cộng dồn theo ngày"
        verbose_name_plural = "số liệu cộng dồn theo ngày"

    def __str__(self) -> str:
        return f"{self.day} ({self.grain}) {self.unit}"
