from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("konto/", include("allauth.urls")),
    path("handlaggning/", include("cases.urls")),
    path("statistik/", include("stats.urls")),
    path("notiser/", include("notifications.urls")),
    path("", include("portal.urls")),
]

