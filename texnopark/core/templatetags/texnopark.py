from django import template

from texnopark.core.i18n import localized

register = template.Library()


@register.filter
def tr(obj, field: str = "name") -> str:
    """{{ park|tr:"description" }}: content in the reader's language and script."""
    if obj is None:
        return ""
    return localized(obj, field)
