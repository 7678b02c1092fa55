"""Form posts as a browser sends them: GOV.UK date inputs are three fields (day, month, year)."""

from datetime import date


def date_input(name: str, day: date | None) -> dict:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def form_errors(response) -> str:
    """The error summary's text (empty when the page shows none)."""
    html = response.content.decode()
    if "govuk-error-summary" not in html:
        return ""
    start = html.index("govuk-error-summary")
    return html[start:html.index("</ul>", start)]
