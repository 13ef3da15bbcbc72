"""The back office's failed messages, at /notiser/misslyckade/ (kontakt/urls.py)."""

from django.urls import path

from cases.views import messages

app_name = "failed_messages"

urlpatterns = [
    path("", messages.failed_list, name="list"),
    path("<int:pk>/", messages.failed_retry, name="retry"),
]
