"""Who is asking: our scripts or a plain form."""

# What our scripts and django-markdownx's uploads send in X-Requested-With.
SCRIPT_MARKS = frozenset({"fetch", "XMLHttpRequest"})


def from_script(request) -> bool:
    """Whether a script sent the request (it gets JSON or a fragment back), not a plain form
    (which gets a page or a redirect).

    Our fetch() calls say "fetch" in X-Requested-With and django-markdownx's uploads say
    "XMLHttpRequest"; a JSON body comes from a script too, whatever its headers, since no form
    sends one.
    """
    return (
        request.headers.get("X-Requested-With") in SCRIPT_MARKS
        or request.content_type == "application/json"
    )
