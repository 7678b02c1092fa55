"""Your account and changing your password (marac.agencies.services.change_password:
the same validators as an account's first password)."""

import pytest
from knox.models import AuthToken

from marac.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, make_user, token_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-77"


def test_the_account_page_shows_who_you_are(web):
    user = make_user(first_name="Priya", last_name="Shah")
    user.email = "priya@example.org"
    user.save(update_fields=["email"])
    page = web(user).get("/account/").content.decode()
    assert "Priya Shah" in page and "priya@example.org" in page and "<title>Your account" in page


def test_changing_the_password_needs_the_current_one_and_writes_nothing_otherwise(web):
    user = make_user()
    response = web(user).post("/account/password/", {"current_password": "not-it", "new_password": NEW_PASSWORD,
                                                     "confirm_password": NEW_PASSWORD})
    assert response.status_code == 400 and b"Your current password is not correct." in response.content
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD) and not AuditEvent.objects.exists()


@pytest.mark.parametrize("weak,message", [
    ("short1", "This password is too short."),
    ("1234567890123", "This password is entirely numeric."),
    ("password1234", "This password is too common."),
])
def test_a_new_password_passes_the_same_validators_as_the_api(web, weak, message):
    user = make_user()
    response = web(user).post("/account/password/", {"current_password": TEST_PASSWORD, "new_password": weak,
                                                     "confirm_password": weak})
    assert response.status_code == 400 and message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_the_new_password_is_confirmed(web):
    user = make_user()
    response = web(user).post("/account/password/", {"current_password": TEST_PASSWORD,
                                                     "new_password": NEW_PASSWORD, "confirm_password": "other"})
    assert b"Enter the same new password again." in response.content


def test_a_changed_password_keeps_this_session_revokes_api_tokens_and_is_audited(web):
    user = make_user()
    token_for(user)
    client = web(user)
    response = client.post("/account/password/", {"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD,
                                                  "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/account/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/account/").status_code == 200
    assert not AuthToken.objects.filter(user=user).exists()
    assert list(AuditEvent.objects.values_list("action", "object_type", "object_id")) == [
        ("update", "user", str(user.pk))]
