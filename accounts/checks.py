"""System checks for the sign-in limits: what can be told from the settings alone.

Whether clients can reach the app server without the proxy cannot be told from the settings;
notes.accounts.client_address logs a warning when a sign-in arrives that way.
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security)
def trusted_proxy_count_is_not_negative(app_configs, **kwargs):
    if settings.TRUSTED_PROXY_COUNT >= 0:
        return []
    return [
        Error(
            f"TRUSTED_PROXY_COUNT is {settings.TRUSTED_PROXY_COUNT}.",
            hint="Set it to the number of proxies in front of hugi, or 0 for none.",
            id="notes.E001",
        )
    ]


@register(Tags.security, deploy=True)
def sign_in_limits_count_clients_behind_the_proxy(app_configs, **kwargs):
    """Behind a proxy (hugi trusts its X-Forwarded-Proto) with TRUSTED_PROXY_COUNT=0, every
    sign-in comes from the proxy's address: one person's wrong passwords lock an account for
    everyone."""
    if settings.TRUSTED_PROXY_COUNT != 0 or not settings.SECURE_PROXY_SSL_HEADER:
        return []
    return [
        Warning(
            "TRUSTED_PROXY_COUNT is 0 although hugi trusts a proxy's X-Forwarded-Proto: "
            "sign-in failures are counted by the proxy's address, so one person's wrong "
            "passwords lock an account for everyone.",
            hint="Set TRUSTED_PROXY_COUNT to the number of proxies that add to "
            "X-Forwarded-For (1 for Caddy or nginx in front of gunicorn); see docs/deploy.md.",
            id="notes.W001",
        )
    ]
