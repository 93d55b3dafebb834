from .registry import Route, public

ROUTES = {
    "api-1.0.0:openapi-json": Route(public()),
    "api-1.0.0:openapi-view": Route(public()),
    "api-1.0.0:pact": Route(public()),
    "api-1.0.0:api-root": Route(public(anonymous=404, member_a=404, member_b=404, advisor=404, office=404)),
}
