"""``Authorization: Bearer <token>``: the API's token authentication (``api.services``).

A request without the header is left to the next class (the session); a request with a bad,
revoked or expired token, or a token of a deactivated user, is refused with 401 and the reason in
Vietnamese, never served as anonymous.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .services import TokenRefused, token_check


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Tiêu đề Authorization phải có dạng: Bearer <mã truy cập>.")
            )
        try:
            secret = parts[1].decode("ascii")
            token = token_check(secret)
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không đúng.")) from None
        except TokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
