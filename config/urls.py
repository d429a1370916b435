"""Only include()s. Fixed first segments first; public.urls, whose conference pages catch any
other first segment, last."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from notes import views as notes_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The markdownx widget's preview, answered by our own renderer; markdownx's upload view
    # (which trusts the client's content type and accepts SVG) is never mounted.
    path("markdownx/markdownify/", notes_views.markdown_preview, name="markdownx_markdownify"),
    path("photos/", include("notes.photos.urls")),
    path("", include("notes.urls")),
    path("", include("notes.writeups.urls")),
    path("", include("public.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only the public uploads; photos (private ones too) always go through photos:file.
    for folder in ("logos", "speakers"):
        urlpatterns += static(
            f"{settings.MEDIA_URL}{folder}/", document_root=settings.MEDIA_ROOT / folder
        )
