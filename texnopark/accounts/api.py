from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from texnopark.accounts import services
from texnopark.api.auth import write_auth

router = Router(tags=["accounts"], auth=write_auth)


class MembershipOut(Schema):
    role: str
    region_id: int | None
    park_id: int | None
    district_id: int | None


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    phone: str
    language: str
    latin_alphabet: str
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_memberships(obj):
        return list(obj.memberships.all())


class MePatch(Schema):
    full_name: str | None = None
    phone: str | None = None
    language: str | None = None
    latin_alphabet: str | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIn(Schema):
    name: str


class TokenCreated(TokenOut):
    token: str


@router.get("/me", response=MeOut)
def me(request):
    return request.user


@router.patch("/me", response=MeOut)
def update_me(request, payload: MePatch):
    return services.profile_update(actor=request.user, user=request.user, **payload.dict(exclude_unset=True))


@router.get("/me/tokens", response=list[TokenOut])
def list_tokens(request):
    return request.user.api_tokens.all()


@router.post("/me/tokens", response={201: TokenCreated})
def create_token(request, payload: TokenIn):
    token, plain = services.token_create(actor=request.user, name=payload.name)
    token.token = plain
    return Status(201, token)


@router.delete("/me/tokens/{pk}", response={204: None})
def revoke_token(request, pk: int):
    services.token_revoke(actor=request.user, token=get_object_or_404(request.user.api_tokens, pk=pk))
    return Status(204, None)
