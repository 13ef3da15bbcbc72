from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import sessions
from core import errors
from kontakt.health import healthz

# Kontakt's own error pages (core/errors.py); the 405 page comes from
# core.errors.MethodNotAllowedPage and the refused-form page from CSRF_FAILURE_VIEW.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

admin.site.site_header = _("Kontakt – administration")
admin.site.site_title = _("Kontakt – administration")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("konto/session/fortsatt/", sessions.keep_alive, name="session_keep_alive"),
    path("konto/session/avslutad/", sessions.ended, name="session_ended"),
    path("konto/", include("allauth.urls")),
    path("scim/v2/", include("directory.scim.urls")),  # provisioning from Entra ID
    path("handlaggning/handlingar/", include("records.urls")),
    path("handlaggning/", include("cases.urls")),
    path("statistik/", include("stats.urls")),
    path("notiser/misslyckade/", include("cases.message_urls")),  # the back office's failed messages
    path("notiser/", include("notifications.urls")),  # provider webhooks
    path("admin-verktyg/", include("retention.urls")),  # retention: right of access
    path("", include("portal.urls")),
]


# The development identity provider exists only when switched on (never in production).
from django.conf import settings  # noqa: E402

if settings.KONTAKT_DEV_IDP:
    urlpatterns.insert(0, path("dev-idp/", include("devidp.urls")))
