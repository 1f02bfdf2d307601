from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "texnopark.core"
    label = "core"
    verbose_name = _("Core")


class BackOfficeAdminConfig(admin_apps.AdminConfig):
    """The Django admin as the back office, open to everyone with a back-office role."""

    default = False
    default_site = "texnopark.core.sites.BackOfficeSite"
