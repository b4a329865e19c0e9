"""Results kept between requests: a locked quarter's ranking, stored for good when it locks."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .appraisal import Period


class StoredRanking(models.Model):
    """A period's ranking as plain data (efficiency.results reads it back into a Ranking).

    Written when the period locks, or on the first read of a period locked before this
    table existed; ``shape`` is the digest of the data's layout (efficiency.plain_data), so
    a code change that alters it recomputes instead of misreading. A 更正 after lock is never
    stored here: it is read apart and applied on every read."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="stored_rankings", verbose_name=_("period")
    )
    kind = models.CharField(_("kind"), max_length=10)  # results.STAFF or results.SECTION
    shape = models.CharField(_("data layout"), max_length=40)
    data = models.JSONField(_("data"))
    # New at each write: a process keeps what it decoded under (id, token), so a row of the
    # same id in a restored or another database is never taken for it.
    token = models.UUIDField(_("token"), default=uuid.uuid4)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("stored ranking")
        verbose_name_plural = _("stored rankings")
        constraints = [
            models.UniqueConstraint(fields=["period", "kind"], name="unique_stored_ranking")
        ]

    def __str__(self) -> str:
        return f"{self.period.code} {self.kind}"
