from .selectors import current_pact


def pact(request):
    return {"pact": current_pact()}
