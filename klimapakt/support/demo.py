"""Demo content of support: the initial partners' offers and routing rules (demo_offers.py),
requests in every status with messages and notes (demo_requests.py). Idempotent."""


def load(pact):
    from . import demo_offers, demo_requests

    demo_offers.load(pact)
    demo_requests.load(pact)
