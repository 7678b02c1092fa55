"""Reports as tables, for exports that leave the MARAC (CSV). Statistical disclosure
control happens here and only here: a count from 1 to MARAC_REPORT_SUPPRESS_BELOW - 1 is
written "fewer than 5", and its share is left blank (a share and the base would give the
count back). Zero is written as 0; the JSON answers, seen by the MARAC itself, keep
every count."""

from datetime import date

from django.conf import settings

FIGURE_COLUMNS = ["report", "subject", "from", "to", "figure", "label", "value", "unit", "share",
                  "recommended_min", "recommended_max"]
ACTION_COUNTS = ["owned", "completed_on_time", "overdue", "carried_over_did_not_act"]
ACTION_COLUMNS = ["report", "subject", "from", "to", "agency", "agency_kind", *ACTION_COUNTS]


def suppressed(count):
    """A count as an export may show it."""
    threshold = settings.MARAC_REPORT_SUPPRESS_BELOW
    if isinstance(count, int) and not isinstance(count, bool) and 0 < count < threshold:
        return f"fewer than {threshold}"
    return count


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def csv_rows(report: dict) -> list[list[str]]:
    """The header and the rows of a report's CSV (REPORT as Report.as_dict gives it): one
    row per figure; the actions report first has one row per agency, then a blank line."""
    head = [report["report"], report["subject"]["name"], report["from"], report["to"]]
    rows: list[list] = []
    if report.get("rows"):
        rows.append(ACTION_COLUMNS)
        for row in report["rows"]:
            rows.append([*head, row["agency_name"], row["agency_kind"], *[suppressed(row[key]) for key in ACTION_COUNTS]])
        rows.append([])
    rows.append(FIGURE_COLUMNS)
    for figure in report["figures"]:
        value = figure["value"]
        shown = suppressed(value) if figure["unit"] == "count" else value
        share = figure["share"] if shown == value else None
        rows.append([*head, figure["key"], figure["label"], shown, figure["unit"], share,
                     figure["recommended_min"], figure["recommended_max"]])
    return [[_text(cell) for cell in row] for row in rows]
