from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "texnopark.reports"
    verbose_name = _("Resident reports and compliance")

    def ready(self):
        from texnopark.reports import permissions  # noqa: F401  (registers the rules)
