from django.urls import path

from records import views

app_name = "records"

urlpatterns = [
    path("arenden/<str:number>/sekretess/", views.secrecy, name="secrecy"),
    path("arenden/<str:number>/sekretess/markera/", views.mark, name="mark"),
    path("arenden/<str:number>/sekretess/<int:mark_id>/ta-bort/", views.unmark, name="unmark"),
    path("arenden/<str:number>/behorighet/", views.grant, name="grant"),
    path("arenden/<str:number>/behorighet/<int:grant_id>/ta-bort/", views.revoke, name="revoke"),
    path("arenden/<str:number>/atkomstlogg/", views.access_log, name="access_log"),
    path("arenden/<str:number>/utlamnande/", views.release, name="release"),
    path("arenden/<str:number>/avslag/", views.refusal, name="refusal"),
]
