# The real SMTP server, Redis broker and Celery worker of the notification tests.
from tests.integration.notifications.conftest import celery_worker, redis_broker  # noqa: F401
