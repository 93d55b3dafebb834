import re

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from klimapakt.api.urls import api
from klimapakt.core.registry import public_media_folders
from klimapakt.core.views import PUBLIC_MEDIA_FOLDERS, healthz, public_media

_PUBLIC_FOLDERS = "|".join(re.escape(folder.rstrip("/")) for folder in (*PUBLIC_MEDIA_FOLDERS, *public_media_folders))

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # Public uploads (logos), read through the storage: local folder or S3 (see docs/operations.md).
    # Folders: core's own and those apps registered (core.registry.public_media_folders).
    re_path(rf"^media/(?P<path>({_PUBLIC_FOLDERS})/.*)$", public_media, name="media"),
]

urlpatterns += i18n_patterns(
    path("", include("klimapakt.core.urls")),
    path("konto/", include("allauth.urls")),
    path("mein-bereich/", include("klimapakt.partners.urls")),
    path("", include("klimapakt.partners.urls_public")),
    path("einladung/", include("klimapakt.partners.urls_invitation")),
    path("geschaeftsstelle/", include("klimapakt.core.urls_backoffice")),
    path("geschaeftsstelle/veranstaltungen/", include("klimapakt.events.urls_backoffice")),
    path("veranstaltungen/", include("klimapakt.events.urls")),
    path("", include("klimapakt.ghg.urls")),
    path("geschaeftsstelle/emissionsfaktoren/", include("klimapakt.ghg.urls_backoffice")),
    path("", include("klimapakt.reports.urls")),
    path("", include("klimapakt.vsme.urls")),
    path("geschaeftsstelle/berichte/", include("klimapakt.reports.urls_backoffice")),
    path("", include("klimapakt.support.urls")),
    path("geschaeftsstelle/unterstuetzung/", include("klimapakt.support.urls_backoffice")),
    path("", include("klimapakt.insights.urls")),
    path("geschaeftsstelle/fortschritt/", include("klimapakt.insights.urls_backoffice")),
    path("", include("klimapakt.insights.urls_open_data")),
    # The office's own pages at /<slug>/: last, so no address of the platform is shadowed.
    path("", include("klimapakt.core.urls_pages")),
    prefix_default_language=False,
)
