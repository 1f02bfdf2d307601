"""Tell a person something: on the site and by e-mail, in their language. Call after commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

from texnopark.core.models import Notification


def tell(person, subject, body, url: str = "") -> Notification | None:
    """`subject` and `body` are callables, so they are translated inside the person's language."""
    if person is None or not person.is_active:
        return None
    with translation.override(person.language):
        subject_text, body_text = str(subject()), str(body())
    note = Notification.objects.create(user=person, message=subject_text[:500], url=url)
    if person.email:
        link = f"\n\n{settings.SITE_URL.rstrip('/')}{url}" if url else ""
        send_mail(subject_text, body_text + link, settings.DEFAULT_FROM_EMAIL, [person.email],
                  fail_silently=True)
    return note
