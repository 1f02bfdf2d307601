from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from texnopark.accounts.scopes import scopes_of


class BackOfficeSite(admin.AdminSite):
    """The Django admin as the back office, open to everyone with a back-office role.

    Its own module: the admin's default site is built lazily from this path, and models
    registered in the same module while it is being built would land on a discarded site.
    """

    site_header = site_title = _("Texnopark back office")
    index_title = _("Manage the network")

    def has_permission(self, request):
        return request.user.is_active and scopes_of(request.user).is_back_office
