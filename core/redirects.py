"""Where a plain form goes back to after it is sent."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, *, fallback: str) -> str:
    """The form's "next" (POST, else GET) when it is a path on this site; otherwise fallback.

    A path, not only what url_has_allowed_host_and_scheme lets through: given "0" or "notes:me",
    redirect() looks for a view of that name (NoReverseMatch, a server error).
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, request.is_secure()
    ):
        return candidate
    return fallback
