"""The meeting pack's files carry the victim's case data like every JSON answer does: no
cache may keep them and a browser may neither frame nor run them."""

import pytest

from tests.meetings.test_packs import request, world  # noqa: F401  (the same meeting and cases)

pytestmark = pytest.mark.django_db

CSP = "default-src 'none'; frame-ancestors 'none'"


@pytest.mark.parametrize("fmt, content_type", [("pdf", "application/pdf"), ("json", "application/json")])
def test_pack_downloads_are_never_cached_and_carry_the_csp(api, world, fmt, content_type,
                                                           django_capture_on_commit_callbacks):
    meeting = world[3]
    client = api(meeting.chair)
    request(client, meeting, django_capture_on_commit_callbacks)
    response = client.get(f"/api/v1/meetings/{meeting.pk}/pack/{fmt}/")
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"] == CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
