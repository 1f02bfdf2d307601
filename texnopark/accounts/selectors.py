from texnopark.accounts.models import User


def person_by_email(email: str) -> User | None:
    """The person who signs in with this e-mail (any letter case), or None. Inactive and offline
    accounts are nobody: staff cannot grant them training or a seat by e-mail."""
    email = (email or "").strip()
    return User.objects.filter(email__iexact=email, is_active=True).first() if email else None
