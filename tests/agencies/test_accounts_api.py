import pytest
from django.contrib.auth import get_user_model

from marac.agencies.models import Agency, Membership
from tests.factories import TEST_PASSWORD, make_agency, make_platform_admin, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_token_for_good_credentials(api):
    user = make_user()
    response = api().post("/api/v1/auth/token/", {"username": user.username, "password": TEST_PASSWORD},
                          format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    me = api().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200 and me.json()["username"] == user.username


@pytest.mark.parametrize("body", [{"username": "nobody", "password": "wrong-password-1"}, {"username": "x"}, {}])
def test_bad_credentials_give_no_token(api, body):
    make_user(username="someone")
    response = api().post("/api/v1/auth/token/", body, format="json")
    assert response.status_code in (400, 401)
    assert "token" not in response.json()


def test_wrong_password_gives_no_token(api):
    user = make_user()
    response = api().post("/api/v1/auth/token/", {"username": user.username, "password": "not-the-password"},
                          format="json")
    assert response.status_code == 400 and "token" not in response.json()


def test_inactive_user_gets_no_token_and_old_token_stops_working(api):
    user = make_user()
    client = api(user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me/").status_code == 401
    response = api().post("/api/v1/auth/token/", {"username": user.username, "password": TEST_PASSWORD},
                          format="json")
    assert "token" not in response.json()


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/agencies/", "/api/v1/users/", "/api/v1/cases/",
                                  "/api/v1/referrals/"])
def test_unauthenticated_calls_are_401(api, path):
    assert api().get(path).status_code == 401
    assert api().get(path, HTTP_AUTHORIZATION="Token not-a-real-token").status_code == 401


def test_me_shows_agency_and_role(api):
    agency = make_agency("advocacy", name="Advocacy Org")
    user = make_user(agency, "manager")
    body = api(user).get("/api/v1/me/").json()
    assert body == {"id": user.pk, "username": user.username, "role": "manager", "is_platform_admin": False,
                    "first_name": "", "last_name": "", "full_name": "",
                    "agency": {"id": agency.pk, "name": "Advocacy Org", "kind": "advocacy"}}


def test_me_shows_the_users_full_name(api):
    user = make_user(first_name="Aisha", last_name="Rahman")
    body = api(user).get("/api/v1/me/").json()
    assert (body["first_name"], body["last_name"], body["full_name"]) == ("Aisha", "Rahman", "Aisha Rahman")


def test_me_for_platform_admin_has_no_agency(api):
    admin = make_platform_admin()
    body = api(admin).get("/api/v1/me/").json()
    assert body["agency"] is None and body["role"] is None and body["is_platform_admin"] is True


def test_any_user_lists_agencies(api):
    agencies = [make_agency("police"), make_agency("health")]
    rows = api(make_user(agencies[0])).get("/api/v1/agencies/").json()["results"]
    assert {row["id"] for row in rows} == {a.pk for a in agencies}
    assert api(make_user(agencies[0])).get("/api/v1/agencies/?kind=health").json()["results"][0]["kind"] == "health"


def test_platform_admin_creates_agency_with_its_group(api):
    response = api(make_platform_admin()).post("/api/v1/agencies/", {"name": "Northshire Fire", "kind": "other"},
                                               format="json")
    assert response.status_code == 201
    agency = Agency.objects.get(pk=response.json()["id"])
    assert agency.group_id is not None


@pytest.mark.parametrize("role", ["practitioner", "manager", "coordinator", "chair"])
def test_only_platform_admin_creates_agencies(api, role):
    response = api(make_user(role=role)).post("/api/v1/agencies/", {"name": "X", "kind": "other"}, format="json")
    assert response.status_code == 403
    assert not Agency.objects.filter(name="X").exists()


@pytest.mark.parametrize("body,field", [({"name": "X", "kind": "fire_service"}, "kind"), ({"kind": "other"}, "name")])
def test_bad_agency_is_400(api, body, field):
    response = api(make_platform_admin()).post("/api/v1/agencies/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert Agency.objects.count() == 0


def test_duplicate_agency_name_is_400(api):
    make_agency(name="Same")
    response = api(make_platform_admin()).post("/api/v1/agencies/", {"name": "Same", "kind": "other"}, format="json")
    assert response.status_code == 400 and "name" in response.json()


def user_body(agency, role="practitioner", **extra):
    return {"username": "new.user", "password": "correct-horse-battery", "email": "new@example.org",
            "agency": agency.pk, "role": role, **extra}


@pytest.mark.parametrize("role", ["practitioner", "manager", "coordinator", "chair"])
def test_platform_admin_creates_any_role_in_any_agency(api, role):
    agency = make_agency("marac_coordination")
    response = api(make_platform_admin()).post("/api/v1/users/", user_body(agency, role), format="json")
    assert response.status_code == 201, response.json()
    assert "password" not in response.json()
    user = User.objects.get(username="new.user")
    assert user.membership.agency == agency and user.membership.role == role
    assert user.groups.filter(pk=agency.group_id).exists()
    assert user.check_password("correct-horse-battery")


@pytest.mark.parametrize("creator", ["platform_admin", "manager"])
def test_admins_and_managers_give_new_users_their_full_names(api, creator):
    manager = make_user(role="manager")
    actor = make_platform_admin() if creator == "platform_admin" else manager
    body = user_body(manager.membership.agency, first_name=" Gareth ", last_name="Evans")
    response = api(actor).post("/api/v1/users/", body, format="json")
    assert response.status_code == 201, response.json()
    assert {k: response.json()[k] for k in ("first_name", "last_name", "full_name")} == \
        {"first_name": "Gareth", "last_name": "Evans", "full_name": "Gareth Evans"}
    user = User.objects.get(username="new.user")
    assert (user.first_name, user.last_name) == ("Gareth", "Evans")
    row = next(r for r in api(manager).get("/api/v1/users/").json()["results"] if r["id"] == user.pk)
    assert row["full_name"] == "Gareth Evans"


def test_a_managers_correction_of_a_name_changes_only_the_name(api):
    manager = make_user(role="manager")
    user = make_user(manager.membership.agency, first_name="Chloe", last_name="Bennett")
    response = api(manager).patch(f"/api/v1/users/{user.pk}/", {"last_name": "Bennett-Shaw"}, format="json")
    assert response.status_code == 200 and response.json()["full_name"] == "Chloe Bennett-Shaw"
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.is_active) == ("Chloe", "Bennett-Shaw", True)


def test_a_password_resembling_the_users_name_is_rejected(api):
    agency = make_agency()
    body = user_body(agency, first_name="Bartholomew", last_name="Fairweather", password="fairweather")
    response = api(make_platform_admin()).post("/api/v1/users/", body, format="json")
    assert response.status_code == 400 and "password" in response.json()
    assert not User.objects.filter(username="new.user").exists()


@pytest.mark.parametrize("role", ["practitioner", "manager"])
def test_manager_creates_practitioners_and_managers_in_own_agency(api, role):
    manager = make_user(role="manager")
    response = api(manager).post("/api/v1/users/", user_body(manager.membership.agency, role), format="json")
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("role", ["coordinator", "chair"])
def test_manager_cannot_create_coordinators_or_chairs(api, role):
    manager = make_user(role="manager")
    response = api(manager).post("/api/v1/users/", user_body(manager.membership.agency, role), format="json")
    assert response.status_code == 403
    assert not User.objects.filter(username="new.user").exists()


def test_manager_cannot_create_users_in_another_agency(api):
    manager = make_user(role="manager")
    response = api(manager).post("/api/v1/users/", user_body(make_agency("health")), format="json")
    assert response.status_code == 403
    assert not User.objects.filter(username="new.user").exists()


@pytest.mark.parametrize("role", ["practitioner", "coordinator", "chair"])
def test_non_managers_cannot_create_users(api, role):
    user = make_user(role=role)
    response = api(user).post("/api/v1/users/", user_body(user.membership.agency), format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("password", ["short", "password1234", "12345678901234", "new.user.new"])
def test_weak_passwords_are_rejected(api, password):
    agency = make_agency()
    response = api(make_platform_admin()).post("/api/v1/users/", user_body(agency, password=password),
                                               format="json")
    assert response.status_code == 400 and "password" in response.json()
    assert not User.objects.filter(username="new.user").exists()


@pytest.mark.parametrize("change,field", [({"role": "boss"}, "role"), ({"agency": 999999}, "agency"),
                                          ({"email": "not-an-email"}, "email"), ({"username": "has space"}, "username"),
                                          ({"first_name": "x" * 151}, "first_name"), ({"last_name": ["Evans"]}, "last_name")])
def test_bad_user_is_400(api, change, field):
    agency = make_agency()
    response = api(make_platform_admin()).post("/api/v1/users/", {**user_body(agency), **change}, format="json")
    assert response.status_code == 400 and field in response.json()
    assert Membership.objects.count() == 0


def test_duplicate_username_is_400(api):
    make_user(username="new.user")
    response = api(make_platform_admin()).post("/api/v1/users/", user_body(make_agency()), format="json")
    assert response.status_code == 400 and "username" in response.json()


def test_user_lists_follow_the_policy(api):
    police, health = make_agency("police"), make_agency("health")
    officer, colleague, nurse = make_user(police), make_user(police, "manager"), make_user(health)
    coordinator = make_user(make_agency("marac_coordination"), "coordinator")
    usernames = lambda user: {row["username"] for row in api(user).get("/api/v1/users/").json()["results"]}  # noqa
    assert usernames(officer) == {officer.username, colleague.username}
    assert usernames(coordinator) == {officer.username, colleague.username, nurse.username, coordinator.username}
    assert usernames(make_platform_admin()) == usernames(coordinator)
    assert api(officer).get(f"/api/v1/users/{nurse.pk}/").status_code == 404


def test_django_admin_works_for_platform_admins(client):
    admin = make_platform_admin()
    client.force_login(admin)
    assert client.get("/admin/agencies/agency/").status_code == 200
    response = client.post("/admin/agencies/agency/add/", {"name": "Admin Made", "kind": "housing"})
    assert response.status_code == 302
    assert Agency.objects.get(name="Admin Made").group_id is not None
