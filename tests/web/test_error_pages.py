"""The service problem pages are rendered without the request (the database may be what
failed), yet they still name the service: in the title and in the header's home link,
which would otherwise be a link without text (axe: link-name)."""

from django.conf import settings
from django.db import OperationalError
from django.test import RequestFactory

from web.errors import bad_request, server_error


def header_link_text(html: str) -> str:
    start = html.index("govuk-header__logotype-text")
    return html[html.index(">", start) + 1:html.index("</span>", start)].strip()


def test_the_500_page_names_the_service_without_the_request():
    html = server_error(RequestFactory().get("/")).content.decode()
    assert f"<title>Sorry, there is a problem with the service – {settings.MARAC_NAME}</title>" in html
    assert header_link_text(html) == settings.MARAC_NAME


def test_the_503_page_names_the_service_while_the_database_is_away():
    try:
        raise OperationalError("away")
    except OperationalError:
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 503
    assert header_link_text(response.content.decode()) == settings.MARAC_NAME


def test_the_400_page_names_the_service():
    assert header_link_text(bad_request(RequestFactory().get("/")).content.decode()) == settings.MARAC_NAME
