from django.urls import path, re_path

from . import photo_views

app_name = "photos"

urlpatterns = [
    path("upload/<int:session_id>/", photo_views.upload, name="upload"),
    path("session/<int:session_id>/", photo_views.manager, name="manager"),
    path("<int:photo_id>/edit/", photo_views.update, name="update"),
    path("<int:photo_id>/move/", photo_views.reorder, name="reorder"),
    path("<int:photo_id>/delete/", photo_views.delete, name="delete"),
    # "original" or one of the photo's rendition widths, e.g. /photos/12/960/
    re_path(
        r"^(?P<photo_id>[0-9]+)/(?P<rendition>original|[0-9]+)/$",
        photo_views.photo_file,
        name="file",
    ),
]
