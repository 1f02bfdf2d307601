from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "texnopark.training"
    label = "training"
    verbose_name = _("Business training")

    def ready(self):
        from texnopark.training import permissions  # noqa: F401  (registers the rules)
