import pytest

from tests.integration.cases.helpers import build_org


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The organisation has ten users; real hashing would take seconds each test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db, _fast_password_hashing):
    return build_org()
