"""Authentication: API tokens and the signed-in session."""


from django.http import HttpRequest, JsonResponse
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth


class TokenAuth(HttpBearer):
    """``Authorization: Bearer sst_…``: an API token created with ``steward token create`` or the UI."""

    def authenticate(self, request: HttpRequest, token: str):
        from stacksteward.org.services import token_authenticate

        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The web UI's signed-in session. Unsafe methods need the CSRF token, checked as ninja does.

    The CSRF check only runs for a signed-in session, so an anonymous caller gets 401 (not a
    CSRF 403) on every operation.
    """

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


AUTH = [TokenAuth(), SessionAuth()]


def authenticated_user(request: HttpRequest):
    """The API user for views outside ninja's operations (the OpenAPI document and docs)."""
    for auth in (TokenAuth(), SessionAuth(csrf=False)):
        user = auth(request)
        if user:
            return user
    return None


def require_api_user(view):
    """Guard the OpenAPI document and the docs page: anonymous callers get the 401 error body."""

    def guarded(request, *args, **kwargs):
        if authenticated_user(request) is None:
            return JsonResponse({"detail": AUTH_REQUIRED, "errors": []}, status=401)
        return view(request, *args, **kwargs)

    return guarded


AUTH_REQUIRED = "Authentication required: send 'Authorization: Bearer <token>' or sign in."
