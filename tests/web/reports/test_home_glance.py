"""A chair serving several MARACs sees the last quarter of EACH on their home page, each
with its own figures and its own link to the full data return; one serving one sees one."""

import re

import pytest

from marac.maracs.models import Marac
from marac.reports import figures
from tests.reports.dataset import END, START

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter_of_the_data_set(monkeypatch):
    """The data set's quarter stands for "the last complete quarter"."""
    monkeypatch.setattr(figures, "last_complete_quarter", lambda *args, **kwargs: (START, END))


def cases_discussed(html: str, marac) -> str:
    start = html.index(f'id="last-quarter-{marac.pk}"')
    row = re.search(r"Cases discussed</th>\s*<td[^>]*>(\d+)", html[start:])
    return row.group(1)


def test_a_chair_serving_two_maracs_sees_each_ones_last_quarter(web, marac_world, quarter_of_the_data_set):
    b = Marac.objects.get(name="MARAC B")
    marac_world.chair.membership.maracs.add(b)
    html = web(marac_world.chair).get("/").content.decode()
    assert html.count(": last quarter</h2>") == 2
    assert "MARAC A: last quarter" in html and "MARAC B: last quarter" in html
    # A discussed c1-c4 at its held meetings in the period; B its one case.
    assert (cases_discussed(html, marac_world.a), cases_discussed(html, b)) == ("4", "1")
    for marac in (marac_world.a, b):
        assert f"/reports/data-return/?marac={marac.pk}" in html


def test_a_chair_serving_one_marac_sees_only_that_one(web, marac_world, quarter_of_the_data_set):
    html = web(marac_world.chair).get("/").content.decode()
    assert html.count(": last quarter</h2>") == 1 and "MARAC B" not in html
    assert cases_discussed(html, marac_world.a) == "4"
