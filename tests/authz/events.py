from .registry import Route, public

ROUTES = {
    "events:list": Route(public()),
}
