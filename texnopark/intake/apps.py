from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "texnopark.intake"
    verbose_name = _("Calls and residency")

    def ready(self):
        from texnopark.intake import permissions  # noqa: F401  (registers the rules)
