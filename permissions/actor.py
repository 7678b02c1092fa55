"""Who is asking: the user's one agency, its kind and the user's role (and the
membership, whose MARACs a coordinator or chair serves), read once per request from
the membership the authentication already loaded."""

from dataclasses import dataclass

PLATFORM_ADMIN = "platform_admin"


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    agency_id: int | None
    group_id: int | None
    kind: str | None
    role: str | None
    is_platform_admin: bool = False
    # The membership whose MARACs a coordinator or chair serves ("marac" condition).
    membership_id: int | None = None

    @property
    def is_member(self) -> bool:
        return self.agency_id is not None

    @classmethod
    def of(cls, user) -> "Actor":
        if user is None or not user.is_authenticated:
            return cls(None, None, None, None, None)
        membership = getattr(user, "membership", None)
        is_admin = bool(user.is_superuser and user.is_active)
        if membership is None:
            return cls(user.pk, None, None, None, None, is_admin)
        agency = membership.agency
        return cls(user.pk, agency.pk, agency.group_id, agency.kind, membership.role, is_admin, membership.pk)


def actor_for(request) -> Actor:
    actor = getattr(request, "_marac_actor", None)
    if actor is None or actor.user_id != getattr(request.user, "pk", None):
        actor = Actor.of(request.user)
        request._marac_actor = actor
    return actor
