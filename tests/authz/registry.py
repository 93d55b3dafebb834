"""The authorization matrix: every named URL of the project, with the answer each role gets.

Each app declares its routes in ``tests/authz/<app>.py`` as ``ROUTES = {url_name: Route(...)}``.
`test_authorization_matrix.py` walks every URL pattern of the project and fails on an
undeclared one, or when a role gets another answer than declared (a leak or a lock-out).

Expectations per role (anonymous, member_a, member_b, advisor, office):
  OK (200), LOGIN (302 to the login page), DENY (403), GONE (404), REDIRECT (302 elsewhere),
  or any int status code. `kwargs` receives the `world` fixture (plus `extra` objects the
  route's `setup` made) and returns the URL kwargs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

OK, LOGIN, DENY, GONE, REDIRECT = "ok", "login", "deny", "gone", "redirect"
ROLES = ("anonymous", "member_a", "member_b", "advisor", "office")


@dataclass
class Route:
    expect: dict[str, str | int]
    kwargs: Callable[[dict], dict] = lambda world: {}
    method: str = "GET"
    data: Callable[[dict], dict] | None = None
    setup: Callable[[dict], dict] | None = None   # returns extra objects merged into world
    skip: str = ""                                 # reason, for routes a GET cannot exercise

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        if missing:
            raise ValueError(f"Route expectation misses roles {sorted(missing)}")


def public(**overrides) -> dict:
    return {r: OK for r in ROLES} | overrides


def staff_only(**overrides) -> dict:
    return {"anonymous": LOGIN, "member_a": DENY, "member_b": DENY, "advisor": DENY, "office": OK} | overrides


def staff_and_advisors(**overrides) -> dict:
    return {"anonymous": LOGIN, "member_a": DENY, "member_b": DENY, "advisor": OK, "office": OK} | overrides


def logged_in(**overrides) -> dict:
    return {"anonymous": LOGIN, "member_a": OK, "member_b": OK, "advisor": OK, "office": OK} | overrides


def org_a_only(**overrides) -> dict:
    """A page of organisation A: its members and the pact office only."""
    return {"anonymous": LOGIN, "member_a": OK, "member_b": DENY, "advisor": DENY, "office": OK} | overrides
