import json
import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from rest_framework.throttling import SimpleRateThrottle

from marac.agencies.models import Agency
from marac.cases.models import Case
from marac.management.commands.seed_demo import DEMO_PASSWORD, USERS
from marac.orders.models import Breach, Order

pytestmark = pytest.mark.django_db

# The first list each demo role would open: the intervention provider is never on a case
# (it reaches only the requirements it delivers), everyone else starts from the cases.
FIRST_LIST = {"intervention": "/api/v1/requirements/"}


def fresh_process(env: dict, code: str) -> subprocess.CompletedProcess:
    """Run CODE in a new interpreter with only ENV set, from the project folder, as
    `make run` runs manage.py: nothing cached from this test process."""
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "marac.settings"}
    return subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True,
                          cwd=django_settings.BASE_DIR, timeout=300)


@pytest.fixture
def demo_throttle_rates(monkeypatch):
    """The throttle rates `make run` serves with (MARAC_DEMO=1), read from a fresh process."""
    out = fresh_process({"MARAC_DEMO": "1"}, "import django, json; django.setup(); from django.conf import settings; "
                        "print(json.dumps(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']))")
    rates = json.loads(out.stdout)
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    return rates


def log_in(api, username, password=DEMO_PASSWORD):
    return api().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")


def test_seed_demo_loads_a_usable_marac_once(api):
    call_command("seed_demo")
    agencies, cases = Agency.objects.count(), Case.objects.count()
    assert agencies >= 8 and cases >= 3
    assert set(Agency.objects.values_list("kind", flat=True)) >= {"police", "advocacy", "housing", "health",
                                                                   "marac_coordination"}
    call_command("seed_demo")
    assert (Agency.objects.count(), Case.objects.count()) == (agencies, cases)

    token = api().post("/api/v1/auth/token/", {"username": "housing", "password": DEMO_PASSWORD},
                       format="json").json()["token"]
    rows = api().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token}").json()["results"]
    assert len(rows) == 3


def test_every_demo_login_sees_something_on_its_first_request(api, demo_throttle_rates):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    for username, _, _ in USERS:
        response = log_in(api, username)
        assert response.status_code == 200, (username, response.json())
        token = response.json()["token"]
        first = api().get(FIRST_LIST.get(username, "/api/v1/cases/"), HTTP_AUTHORIZATION=f"Token {token}")
        assert first.status_code == 200 and first.json()["results"], username


def test_demo_people_have_full_names(api, demo_throttle_rates):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    for username, _, _ in USERS:
        token = log_in(api, username).json()["token"]
        me = api().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").json()
        assert me["first_name"] and me["last_name"], username
        assert me["full_name"] == f"{me['first_name']} {me['last_name']}"


def test_demo_has_a_breach_and_a_declined_spo_request(api):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    police = log_in(api, "police").json()["token"]
    orders = api().get("/api/v1/orders/?status=declined", HTTP_AUTHORIZATION=f"Token {police}").json()["results"]
    assert len(orders) == 1 and orders[0]["decision_reason"].strip()
    breaches = api().get("/api/v1/breaches/", HTTP_AUTHORIZATION=f"Token {police}").json()["results"]
    assert len(breaches) == 1 and breaches[0]["status"] == "reported"
    assert Breach.objects.get().order == Order.objects.get(status="granted")


def test_demo_logins_are_not_throttled_per_address_in_the_demo(api, demo_throttle_rates, settings):
    """Everyone using the demo logs in from 127.0.0.1: trying every role twice, as the
    README's example does, must not meet a 429 (production's 10 a minute would)."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    statuses = [log_in(api, username).status_code for _ in range(2) for username, _, _ in USERS]
    assert statuses == [200] * len(statuses)
    # The per-username budget still holds in the demo.
    limit = int(demo_throttle_rates["login_username"].split("/")[0])
    wrong = [log_in(api, "nobody", "not-the-password").status_code for _ in range(limit)]
    assert wrong == [400] * limit and log_in(api, "nobody").status_code == 429


def test_make_run_prints_only_addresses_that_answer_and_how_to_change_port(client):
    plan = subprocess.run(["make", "-n", "run", "PORT=8123"], capture_output=True, text=True, check=True,
                          cwd=django_settings.BASE_DIR).stdout
    assert "runserver 127.0.0.1:8123" in plan
    assert "make run PORT=" in plan
    printed = [line for line in plan.splitlines() if line.lstrip().startswith("echo")]
    paths = {m.group(1) for line in printed for m in re.finditer(r"http://127\.0\.0\.1:8123(/[^\s\")]*)", line)}
    assert "/" in paths and "/api/v1/" in paths
    for path in sorted(paths):
        assert client.get(path, follow=True).status_code == 200, path  # a browser's first visit


def test_make_run_starts_without_warnings(tmp_path):
    """`make run`'s steps (migrate, seed_demo, run_daily_sweep, serve the first request) in
    a fresh process print no warning: no missing staticfiles folder, no kombu notice."""
    code = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "from django.test import Client\n"
        "call_command('migrate', verbosity=0)\n"
        "call_command('seed_demo', verbosity=0)\n"
        "call_command('run_daily_sweep')\n"
        "client = Client(HTTP_HOST='127.0.0.1:8000')\n"
        "print('docs', client.get('/api/v1/docs/').status_code)\n"
        "print('static', client.get('/static/admin/css/base.css').status_code)\n"
    )
    run = fresh_process({"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "MARAC_DEMO": "1",
                         "MEDIA_ROOT": str(tmp_path / "media")}, code)
    assert run.stderr == ""
    assert not re.search(r"warn|No hostname|No directory", run.stdout, re.IGNORECASE), run.stdout
    assert run.returncode == 0 and "docs 200" in run.stdout and "static 200" in run.stdout


def test_schema_and_docs_are_served(api):
    schema = api().get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/referrals/" in schema.content
    assert api().get("/api/v1/docs/").status_code == 200


def test_served_schema_is_the_committed_openapi_yaml(api, settings):
    committed = (settings.BASE_DIR / "openapi.yaml").read_text()
    served = api().get("/api/v1/schema/").content.decode()
    assert served == committed


def test_demo_has_two_maracs_each_with_its_coordinator_and_chair_and_shared_agencies(api):
    """Issue 12's demo: Northshire North and South, a coordinator and a chair for each
    (who reach only their own MARAC's cases), police and the NHS trust on both."""
    from marac.management.commands.seed_demo import NORTH, SERVES, SOUTH

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    maracs = {row["name"]: row["id"] for row in api(_demo_user("housing")).get("/api/v1/maracs/").json()["results"]}
    assert set(maracs) == {NORTH, SOUTH}
    cases_by_marac = {}
    for username, marac in SERVES.items():
        cases = api(_demo_user(username)).get("/api/v1/cases/").json()["results"]
        seen = {case["marac"] for case in cases}
        # The chairs are police officers: their force is on cases of both MARACs.
        assert seen == {maracs[marac]} if username.startswith("coordinator") else maracs[marac] in seen, username
        cases_by_marac.setdefault(marac, set()).update(case["id"] for case in cases if case["marac"] == maracs[marac])
    for username in ("police", "health"):
        seen = {case["marac"] for case in api(_demo_user(username)).get("/api/v1/cases/").json()["results"]}
        assert seen == {maracs[NORTH], maracs[SOUTH]}, username
    south_case = min(cases_by_marac[SOUTH])
    assert api(_demo_user("coordinator")).get(f"/api/v1/cases/{south_case}/").status_code == 404


def test_demo_south_coordinator_sees_the_victims_previous_marac_and_nothing_of_that_case(api):
    from marac.management.commands.seed_demo import NORTH

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    referrals = api(_demo_user("coordinator_south")).get("/api/v1/referrals/?status=submitted").json()["results"]
    (moved,) = [r for r in referrals if r["victim"]["last_name"] == "Hart"]
    assert moved["previous_marac"]["name"] == NORTH and moved["previous_marac"]["referred_on"]
    assert (moved["is_repeat"], moved["case"], moved["likely_matches"]) == (False, None, [])


def _demo_user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
