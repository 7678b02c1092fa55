"""One rule for the client's address (marac.client_address): X-Forwarded-For is believed
only as far as MARAC_TRUSTED_PROXIES of our own proxies wrote it; anything else falls
back to REMOTE_ADDR. The audit trail records the address this rule gives."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from marac.agencies.models import AgencyKind
from marac.audit.models import AuditEvent
from marac.checks import check_proxy_count_behind_tls_proxy
from marac.client_address import client_address
from tests.factories import CaseFactory, make_agency, make_user

ROOT = Path(__file__).resolve().parents[2]
TLS_PROXY_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def request_from(remote_addr="10.0.0.1", forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.MARAC_TRUSTED_PROXIES = 0
    assert client_address(request_from(forwarded_for="198.51.100.1, 203.0.113.7")) == "10.0.0.1"


@pytest.mark.parametrize(("trusted_proxies", "expected"), [(1, "203.0.113.7"), (2, "198.51.100.1"),
                                                           (3, "192.0.2.66")])
def test_with_n_trusted_proxies_the_nth_forwarded_entry_from_the_right_is_the_client(settings, trusted_proxies,
                                                                                      expected):
    settings.MARAC_TRUSTED_PROXIES = trusted_proxies
    request = request_from(forwarded_for="192.0.2.66, 198.51.100.1,203.0.113.7")
    assert client_address(request) == expected


@pytest.mark.parametrize("forwarded_for", ["", " ", "garbage", "203.0.113.999", "1.2.3", "203.0.113.7:8080",
                                           "fe80::1%eth0", "1.2.3.4, ", "1.2.3.4,,", "\u0661.2.3.4", "0x7f.1.1.1",
                                           "2001:db8::1::1", "\x00"])
def test_an_invalid_forwarded_address_falls_back_to_remote_addr(settings, forwarded_for):
    settings.MARAC_TRUSTED_PROXIES = 1
    assert client_address(request_from(forwarded_for=forwarded_for)) == "10.0.0.1"


def test_a_forwarded_list_shorter_than_the_proxy_count_falls_back_to_remote_addr(settings):
    settings.MARAC_TRUSTED_PROXIES = 3
    assert client_address(request_from(forwarded_for="198.51.100.1, 203.0.113.7")) == "10.0.0.1"


@pytest.mark.parametrize(("forwarded_for", "expected"), [(" 203.0.113.7 ", "203.0.113.7"),
                                                         ("::ffff:203.0.113.7", "203.0.113.7"),
                                                         ("2001:DB8:0:0::1", "2001:db8::1")])
def test_one_client_has_one_canonical_address(settings, forwarded_for, expected):
    settings.MARAC_TRUSTED_PROXIES = 1
    assert client_address(request_from(forwarded_for=forwarded_for)) == expected


def test_a_remote_addr_that_is_not_an_ip_gives_no_address(settings):
    assert client_address(request_from(remote_addr="unix:/run/gunicorn.sock")) is None


def read_a_case(api, **extra):
    police = make_agency(AgencyKind.POLICE)
    case = CaseFactory(participants=[police])
    response = api(make_user(police)).get(f"/api/v1/cases/{case.pk}/", **extra)
    assert response.status_code == 200
    return AuditEvent.objects.get().client_address


@pytest.mark.django_db
def test_the_audit_trail_ignores_a_client_supplied_forwarded_for_behind_a_tls_proxy(api, settings):
    settings.SECURE_PROXY_SSL_HEADER = TLS_PROXY_HEADER  # DJANGO_BEHIND_TLS_PROXY alone trusts no header
    settings.MARAC_TRUSTED_PROXIES = 0
    assert read_a_case(api, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1") == "10.0.0.1"


@pytest.mark.django_db
@pytest.mark.parametrize(("trusted_proxies", "expected"), [(1, "203.0.113.7"), (2, "198.51.100.1")])
def test_the_audit_trail_records_the_address_our_proxies_saw(api, settings, trusted_proxies, expected):
    settings.MARAC_TRUSTED_PROXIES = trusted_proxies
    address = read_a_case(api, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.66, 198.51.100.1, 203.0.113.7")
    assert address == expected


@pytest.mark.django_db
@pytest.mark.parametrize("forwarded_for", ["garbage", "203.0.113.999", "fe80::1%eth0", "' OR 1=1 --"])
def test_an_invalid_forwarded_address_is_never_written_to_the_audit_trail(api, settings, forwarded_for):
    settings.SECURE_PROXY_SSL_HEADER = TLS_PROXY_HEADER
    settings.MARAC_TRUSTED_PROXIES = 1
    assert read_a_case(api, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for) == "10.0.0.1"


def test_the_deploy_check_warns_behind_a_tls_proxy_with_no_trusted_proxies(settings):
    settings.SECURE_PROXY_SSL_HEADER = TLS_PROXY_HEADER
    settings.MARAC_TRUSTED_PROXIES = 0
    assert [message.id for message in check_proxy_count_behind_tls_proxy(None)] == ["marac.W001"]
    settings.MARAC_TRUSTED_PROXIES = 1
    assert check_proxy_count_behind_tls_proxy(None) == []


def test_no_forwarded_address_is_trusted_by_default():
    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'marac.settings'); django.setup(); "
            "from django.conf import settings; from rest_framework.settings import api_settings; "
            "print(settings.MARAC_TRUSTED_PROXIES, api_settings.NUM_PROXIES)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin"}, check=True)
    assert result.stdout.split() == ["0", "0"]


@pytest.mark.parametrize("value", ["-1", "one", "1.5"])
def test_a_malformed_trusted_proxy_count_refuses_to_start(value):
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env={"PATH": "/usr/bin:/bin", "MARAC_TRUSTED_PROXIES": value})
    assert result.returncode != 0 and "MARAC_TRUSTED_PROXIES must be a whole number" in result.stderr
