"""Demo content of support (filled by its helper)."""


def load(pact):
    pass
