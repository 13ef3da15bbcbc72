from django.urls import path

from retention import views

app_name = "retention"

urlpatterns = [
    path("registerutdrag/", views.person_search, name="person_search"),
    path("registerutdrag/export/", views.person_export, name="person_export"),
]
