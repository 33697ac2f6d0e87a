"""API for departments and people (declared in ``resources.py``), API tokens and the signed-in user."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from ninja import Query, Router, Status

from stacksteward.core.api_support import (
    CREATE_ERRORS,
    LIST_ERRORS,
    PageParams,
    Refs,
    errors,
    fetch_or_404,
    page_schema,
    paginate,
)
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.permissions import is_admin, require_perm
from stacksteward.core.resources import add_routes
from stacksteward.core.roles import role_of

from . import services
from .models import ApiToken
from .resources import RESOURCES
from .schemas import MeOut, TokenCreatedOut, TokenIn, TokenOut

router = Router(tags=["org"])
API = AuditSourceChoices.API
for resource in RESOURCES:
    add_routes(router, resource)


# Tokens ----------------------------------------------------------------------------------------


def _tokens(user):
    return ApiToken.objects.restrict(user, "view").select_related("user")


@router.get("/tokens", response={200: page_schema(TokenOut), **errors(*LIST_ERRORS)})
def list_tokens(request, page: Query[PageParams]):
    """Your tokens (admins: everyone's), newest first. Keys are never shown again."""
    return paginate(_tokens(request.auth), page)


@router.post("/tokens", response={201: TokenCreatedOut, **errors(*CREATE_ERRORS)})
def create_token(request, payload: TokenIn):
    """Create a token; the answer carries the key this once (only its hash is stored)."""
    require_perm(request.auth, "add", ApiToken)
    owner = request.auth
    if payload.user and payload.user != owner.get_username():
        if not is_admin(request.auth):
            raise PermissionDenied("Only admins can create tokens for other users.")
        refs = Refs()
        owner = refs.one(get_user_model().objects.all(), "user", payload.user, key="username")
        refs.check()
    token, key = services.token_create(actor=request.auth, user=owner, name=payload.name,
                                       expires_at=payload.expires_at, source=API)
    token.key = key
    return Status(201, token)


@router.delete("/tokens/{id}", response={204: None, **errors(401, 403, 404, 422)})
def revoke_token(request, id: int):
    """Revoke a token: it stops working at once. Revoking twice is harmless."""
    token = fetch_or_404(_tokens(request.auth), pk=id)
    require_perm(request.auth, "delete", token)
    services.token_revoke(token, actor=request.auth, source=API)
    return Status(204, None)


# The signed-in user ----------------------------------------------------------------------------


@router.get("/me", response={200: MeOut, **errors(401)})
def get_me(request):
    """Who you are to the API: username, role and the person record linked to your login."""
    user = request.auth
    try:
        person = user.person
    except ObjectDoesNotExist:
        person = None
    return {"username": user.get_username(), "name": user.get_full_name(), "email": user.email,
            "role": role_of(user), "person": person}
