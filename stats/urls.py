from django.urls import path

from stats import views

app_name = "stats"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("fordelning/<slug:slug>/", views.breakdown, name="breakdown"),
    path("export/<slug:slug>.<str:fmt>", views.export, name="export"),
]
