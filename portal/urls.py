from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.start, name="start"),
    path("om/<slug:slug>/", views.page, name="page"),
]
