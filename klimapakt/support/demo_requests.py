"""Demo requests (filled by its helper)."""


def load(pact):
    pass
