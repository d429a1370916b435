"""Sign-in details that django-axes asks hugi for."""


def axes_username(request, credentials):
    """The username axes records for a sign-in attempt, cut to what a username can be.

    Django's sign-in form does not enforce the 150-character limit, and axes keeps usernames
    in a 255-character column: PostgreSQL refuses a longer one with an error (a 500).
    """
    source = credentials if credentials is not None else request.POST
    return str(source.get("username") or "")[:150]
