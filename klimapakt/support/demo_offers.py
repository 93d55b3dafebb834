"""Demo offers and routing rules (filled by its helper)."""


def load(pact):
    pass
