"""Authorization matrix of the open data (insights): the page, its DCAT-AP.de catalogue and the
progress API are public, the same for everyone."""

from .registry import Route, public

ROUTES = {
    "open_data:page": Route(public()),
    "open_data:dcat_rdf": Route(public()),
    "open_data:dcat_jsonld": Route(public()),
    "api-1.0.0:pact_progress": Route(public()),
}
