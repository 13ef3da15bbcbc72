from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.start, name="start"),
    path("lamna/", views.choose_kind, name="choose_kind"),
    path("lamna/<slug:kind>/", views.intake, name="intake"),
    path("kvitto/<uuid:public_id>/", views.receipt, name="receipt"),
    path("om/<slug:slug>/", views.page, name="page"),
]
