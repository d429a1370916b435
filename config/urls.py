from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.decorators.http import require_POST
from markdownx.views import MarkdownifyView

from sessions import search_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Only the preview endpoint of markdownx, for signed-in users; its upload view (which trusts
    # the client's content type and accepts SVG) is never mounted.
    path(
        "markdownx/markdownify/",
        require_POST(login_required(MarkdownifyView.as_view())),
        name="markdownx_markdownify",
    ),
    path("search/", search_views.search, name="search"),
    path("photos/", include("notes.photo_urls")),
    path("", include("notes.urls")),
    path("", include("sessions.export_urls")),
    path("", include("notes.writeup_urls")),
    path("", include("sessions.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
