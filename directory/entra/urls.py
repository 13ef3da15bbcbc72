"""Included by allauth under /konto/: the redirect URI to register in Entra
ID is <SITE_URL>/konto/entra/login/callback/."""

from django.urls import path

from directory.entra import views

urlpatterns = [
    path("entra/login/", views.login, name="entra_login"),
    path("entra/login/callback/", views.callback, name="entra_callback"),
]
