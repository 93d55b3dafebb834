"""The pact's progress: the public page for everyone; the office's dashboard and the
organisations behind a figure for the pact office only, and so is closing a balance year."""

from .registry import GONE, REDIRECT, Route, public, staff_only

ROUTES = {
    "insights:progress": Route(public()),
    "insights_office:dashboard": Route(staff_only()),
    # without "?zahl=…" there is no figure to show: 404 for the office, the refusal for everyone else
    "insights_office:organisations": Route(staff_only(office=GONE)),
    # closing a balance year: the office only (a POST; without a year it says so and goes back)
    "insights_office:close_year": Route(staff_only(office=REDIRECT), method="POST"),
}
