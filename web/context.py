"""What the base layout shows on every page: who is signed in (name, role, agency) and
the primary navigation their role allows. Lazy: templates that never read it (the
Django admin's) cost no query."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import navigation_for


def _person(request):
    user = request.user
    if not user.is_authenticated:
        return None
    membership = getattr(user, "membership", None)
    return {
        "name": user.get_full_name() or user.get_username(),
        "role": membership.get_role_display() if membership else "Platform administrator",
        "agency": membership.agency.name if membership else "",
    }


def web(request):
    return {
        "service_name": settings.MARAC_NAME,
        "web_person": SimpleLazyObject(lambda: _person(request)),
        "web_navigation": SimpleLazyObject(lambda: navigation_for(request)),
    }


