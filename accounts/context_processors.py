from django.http import HttpRequest

from accounts.models import User
from accounts.sessions import policy_for


def session_timeout(request: HttpRequest) -> dict[str, int]:
    """The idle limit the page warns about (templates/accounts/_session_timeout.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not isinstance(user, User):
        return {}
    idle_seconds = policy_for(user).idle_seconds
    return {"session_idle_seconds": idle_seconds, "session_idle_minutes": idle_seconds // 60}
