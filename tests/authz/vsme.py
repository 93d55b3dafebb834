"""VSME page and downloads of a year: only the organisation's members and the pact office
(the balance's view permission)."""

from .registry import Route, org_a_only

YEAR = 2024


def _balance(world):
    from klimapakt.ghg.services import activity_create

    activity_create(organisation=world["org_a"], year=YEAR, carrier="diesel", quantity="1000", unit="l",
                    actor=world["users"]["member_a"])
    return {}


def _org_year(world):
    return {"pk": world["org_a"].pk, "year": YEAR}


ROUTES = {
    "vsme:page": Route(org_a_only(), setup=_balance, kwargs=_org_year),
    "vsme:xlsx": Route(org_a_only(), setup=_balance, kwargs=_org_year),
    "vsme:json": Route(org_a_only(), setup=_balance, kwargs=_org_year),
}
