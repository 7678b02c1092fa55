"""The chair's home page glance: the last complete quarter of EACH MARAC they serve (a
chair may serve several), in three figures beside SafeLives' values, each linking to its
full data return."""

from marac.maracs.models import Marac
from marac.reports import figures
from web.slice import report_subjects

from .views import against_recommended, percent, recommended_text

GLANCE = ("cases_discussed", "repeat_cases", "referrals_from_police")


def quarter_glances(view) -> list[dict]:
    """One query for the MARACs, then the data return's two per MARAC served (a chair
    serves a handful). Audited as views of the MARACs."""
    maracs = list(report_subjects(view.actor, "data_return", Marac.objects.order_by("name")))
    if not maracs:
        return []
    start, end = figures.last_complete_quarter()
    caption = f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"
    view.audit("view", maracs, object_type="marac")
    return [_glance(marac, start, end, caption) for marac in maracs]


def _glance(marac, start, end, caption) -> dict:
    report = {f.key: f for f in figures.data_return(marac, start, end).figures}
    return {"marac": marac, "caption": caption,
            "rows": [{"figure": report[key], "share": percent(report[key].share),
                      "recommended": recommended_text(report[key]), "against": against_recommended(report[key])}
                     for key in GLANCE]}
