from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "texnopark.network"
    label = "network"
    verbose_name = _("Technopark network")

    def ready(self):
        from texnopark.network import permissions  # noqa: F401  (registers the rules)
