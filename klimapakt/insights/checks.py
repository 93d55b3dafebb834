"""`manage.py check` names a wrong open-data setting (config/settings.py, "Open data") before a
portal harvests a catalogue with it."""

import datetime
import re

from django.conf import settings
from django.core import checks

from .dcat import LICENCES


@checks.register()
def open_data_settings(app_configs=None, **kwargs):
    problems = []
    if settings.OPEN_DATA_ISSUED:
        try:
            datetime.date.fromisoformat(settings.OPEN_DATA_ISSUED)
        except ValueError:
            problems.append(checks.Warning("OPEN_DATA_ISSUED is not a date (YYYY-MM-DD); the catalogue uses the "
                                           "pact's decision date instead.", id="insights.W001"))
    if settings.OPEN_DATA_REGIONAL_KEY and not re.fullmatch(r"\d{12}", settings.OPEN_DATA_REGIONAL_KEY):
        problems.append(checks.Warning("OPEN_DATA_REGIONAL_KEY must be the city's 12-digit Regionalschlüssel.",
                                       id="insights.W002"))
    if settings.OPEN_DATA_LICENCE not in LICENCES and not settings.OPEN_DATA_LICENCE_NAME:
        problems.append(checks.Warning("OPEN_DATA_LICENCE is not one of the known dcat-ap.de licences: set "
                                       "OPEN_DATA_LICENCE_NAME and OPEN_DATA_LICENCE_URL for the open-data page.",
                                       id="insights.W003"))
    return problems
