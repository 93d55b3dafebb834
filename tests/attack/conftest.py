"""The fixtures of the insights and events tests, reused by the attacks."""

from tests.events.conftest import make_event, person  # noqa: F401
from tests.insights.conftest import progress_data  # noqa: F401
