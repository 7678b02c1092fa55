"""The chair's home page glance: the last complete quarter of the first MARAC they serve,
in three figures beside SafeLives' values, linking to the full data return."""

from marac.maracs.models import Marac
from marac.reports import figures
from web.slice import report_subjects

from .views import against_recommended, percent, recommended_text

GLANCE = ("cases_discussed", "repeat_cases", "referrals_from_police")


def quarter_glance(view) -> dict | None:
    """Three queries: the MARAC, then the data return's two. Audited as a view of the MARAC."""
    marac = report_subjects(view.actor, "data_return", Marac.objects.order_by("name")).first()
    if marac is None:
        return None
    start, end = figures.last_complete_quarter()
    report = {f.key: f for f in figures.data_return(marac, start, end).figures}
    view.audit("view", marac, object_type="marac")
    return {"marac": marac, "caption": f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}",
            "rows": [{"figure": report[key], "share": percent(report[key].share),
                      "recommended": recommended_text(report[key]), "against": against_recommended(report[key])}
                     for key in GLANCE]}
