from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("twilio/status/", views.twilio_status, name="twilio_status"),
]
