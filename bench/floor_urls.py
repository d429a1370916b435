"""hugi's URLs plus the floor: the fastest page Django serves here.

A short template rendered through the same middleware, context processors and server as every
hugi page, so that hugi's pages can be measured against it in one run. Used only by bench/.
"""

import functools

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as hugi_urlpatterns


@functools.cache
def template():
    return engines["django"].from_string(
        '<!doctype html><html lang="{{ LANGUAGE_CODE }}"><title>floor</title>'
        "<p>Hello from {{ request.path }}.</p></html>"
    )


def floor(request):
    return HttpResponse(template().render({}, request))


urlpatterns = [path("bench/floor/", floor), *hugi_urlpatterns]
