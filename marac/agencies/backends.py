"""Reading the signed-in person back on each request of a session (the web app and
/admin/)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MemberBackend(ModelBackend):
    """Django's ModelBackend (same sign-in, same checks), whose read of the session's
    user brings its membership and agency in the same query: every page reads them
    (the header, the slice, the audit), which took three queries a request."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("membership__agency").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
