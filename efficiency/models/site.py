"""What kind of database this is."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoMark(models.Model):
    """One row in a database filled by ``load_demo``, and never in an office's own: every page
    then shows the 演示数据 band, since the demo accounts' passwords are public."""

    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("demo data mark")
        verbose_name_plural = _("demo data marks")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
