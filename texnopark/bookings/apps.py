from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "texnopark.bookings"
    label = "bookings"
    verbose_name = _("Bookings")

    def ready(self):
        from texnopark.bookings import permissions  # noqa: F401  (registers the rules)
