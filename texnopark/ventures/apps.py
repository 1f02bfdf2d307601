from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenturesConfig(AppConfig):
    name = "texnopark.ventures"
    verbose_name = _("Companies and ideas")

    def ready(self):
        from texnopark.ventures import permissions  # noqa: F401  (registers the rules)
