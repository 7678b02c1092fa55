from rest_framework import authentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`, loading the user's membership and agency in the
    same query so that the slice costs no extra round trip per request."""

    def authenticate_credentials(self, key):
        try:
            token = Token.objects.select_related("user__membership__agency").get(key=key)
        except Token.DoesNotExist:
            raise AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        return token.user, token
