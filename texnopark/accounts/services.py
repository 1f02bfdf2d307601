import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from texnopark.accounts.models import ApiToken, Membership, User
from texnopark.accounts.scopes import forget_scopes
from texnopark.core import audit
from texnopark.core.errors import AppError, NotFound
from texnopark.core.services import apply_changes, create_object, snapshot

TOKEN_PREFIX = "tp_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def user_signup(*, email: str, password: str, full_name: str = "", language: str = "uz") -> User:
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email=email).exists():
        raise AppError("email_taken", _("A person with this e-mail is already registered."),
                       {"email": [_("This e-mail is already registered.")]})
    user = User(email=email, full_name=full_name, language=language)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(actor=user, action="accounts.user.signed_up", obj=user, changes={"email": [None, email]})
    return user


@transaction.atomic
def profile_update(*, actor: User, user: User, **changes) -> User:
    if actor.pk != user.pk and not actor.is_superuser:
        raise NotFound()
    changed = apply_changes(user, changes)
    if changed:
        audit.record(actor=actor, action="accounts.user.updated", obj=user, changes=changed)
    return user


@transaction.atomic
def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token object and the plain token, which is never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = create_object(ApiToken, {"user": actor, "name": name, "prefix": plain[:10], "key_hash": hash_token(plain)})
    audit.record(actor=actor, action="accounts.token.created", obj=token, changes={"name": [None, name]})
    return token, plain


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="accounts.token.revoked", obj=token)
    return token


def token_authenticate(plain: str) -> User | None:
    if not plain or not plain.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(plain), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Write at most once a minute: a busy client should not turn every read into a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def membership_create(*, actor: User, user: User, role: str, region=None, park=None, district=None) -> Membership:
    target_region = region or (park.region if park else None) or (district.region if district else None)
    if not actor.has_perm("accounts.manage_memberships", target_region):
        raise NotFound()
    fields = {"user": user, "role": role, "region": region, "park": park, "district": district}
    if Membership.objects.filter(**fields).exists():
        raise AppError("membership_exists", _("This person already holds this role here."))
    membership = create_object(Membership, dict(fields))
    forget_scopes(user)
    audit.record(actor=actor, action="accounts.membership.created", obj=membership,
                 changes=snapshot(membership, {"user": user, "role": role, "scope": membership.scope}))
    return membership


@transaction.atomic
def membership_delete(*, actor: User, membership: Membership) -> None:
    scope = membership.scope
    region = scope if membership.region_id else scope.region
    if not actor.has_perm("accounts.manage_memberships", region):
        raise NotFound()
    audit.record(actor=actor, action="accounts.membership.deleted", obj=membership,
                 changes={"role": [membership.role, None], "user": [membership.user_id, None]})
    membership.delete()
    forget_scopes(membership.user)


OFFLINE_DOMAIN = "walk-in.invalid"


@transaction.atomic
def offline_person(*, full_name: str, phone: str = "") -> User:
    """Someone known only by name and phone (a walk-in at a course): an account that cannot
    sign in, so that their attendance and certificate belong to a person. The same name and
    phone give the same account."""
    same = User.objects.filter(full_name=full_name, phone=phone, email__endswith=f"@{OFFLINE_DOMAIN}").first()
    if same:
        return same
    user = User(email=f"walk-in-{secrets.token_hex(8)}@{OFFLINE_DOMAIN}", full_name=full_name, phone=phone,
                is_active=False)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit.record(actor=None, action="accounts.user.offline_created", obj=user, changes={"full_name": [None, full_name]})
    return user
