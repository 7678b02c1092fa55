"""Deploy checks: production must not run on the development secret key."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_real_secret_key(app_configs, **kwargs):
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY or len(settings.SECRET_KEY) < 50:
        return [
            Error(
                "DJANGO_SECRET_KEY is unset or too short: production needs a real secret key.",
                hint="Set DJANGO_SECRET_KEY to a random string of 50+ characters.",
                id="marac.E001",
            )
        ]
    return []
