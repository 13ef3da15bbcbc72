from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("misslyckade/", views.failed_list, name="failed_list"),
    path("misslyckade/<int:pk>/", views.failed_retry, name="failed_retry"),
    path("twilio/status/", views.twilio_status, name="twilio_status"),
]
