"""Deploy checks: production must not run on the development secret key or in demo mode,
and behind a proxy the client's address must come from that proxy."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register(Tags.security, deploy=True)
def check_proxy_count_behind_tls_proxy(app_configs, **kwargs):
    """Behind a proxy with no trusted proxies, every client has the proxy's address: the
    per-address login throttle becomes one budget for everyone and the audit trail
    records the proxy."""
    if settings.SECURE_PROXY_SSL_HEADER and settings.MARAC_TRUSTED_PROXIES == 0:
        return [
            Warning(
                "DJANGO_BEHIND_TLS_PROXY is set but MARAC_TRUSTED_PROXIES is 0: every client will have the "
                "proxy's address (throttles, audit trail).",
                hint="Set MARAC_TRUSTED_PROXIES to the number of proxies of yours that append to X-Forwarded-For "
                     "(usually 1); never more than that, or clients can choose their own address. If the proxy "
                     "passes the client's address otherwise (e.g. the PROXY protocol), silence marac.W001.",
                id="marac.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_not_demo(app_configs, **kwargs):
    """MARAC_DEMO raises the per-address login budget for `make run`: never for real data."""
    if settings.MARAC_DEMO:
        return [
            Error(
                "MARAC_DEMO is set: the demo's relaxed login throttle must not run in production.",
                hint="Unset MARAC_DEMO; `make run` sets it for the demo server only.",
                id="marac.E002",
            )
        ]
    return []
