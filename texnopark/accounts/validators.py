from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NotTheDemoPasswordValidator:
    """Production refuses the published demo password."""

    def validate(self, password, user=None):
        if password == settings.DEMO_PASSWORD:
            raise ValidationError(_("This is the public demo password; choose another."), code="demo_password")

    def get_help_text(self):
        return _("Your password cannot be the public demo password.")
