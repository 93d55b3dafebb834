"""Every write of the CO2 balance: activity lines, balances, factor editions, imports.
Keyword-only, atomic, audit-logged. One module per concern; callers import from here:
``from klimapakt.ghg.services import activity_create``."""

from .balances import (
    ATTACHMENT_TYPES,
    FIELD_NAMES,
    MAX_DECIMAL_PLACES,
    activity_create,
    activity_delete,
    activity_update,
    balance_compute,
    balance_freeze,
    balance_key_figures_update,
    balance_unfreeze,
    calculation_error_to_validation,
    translate_message,
    validate_activity,
    validate_attachment,
    year_add,
    year_replace,
)
from .bulk import balances_store_year, fast_insert
from .factors import factor_create, factor_edition_create, recompute_open_balances_now
from .imports import (
    MAX_STORED_ERRORS,
    SYNC_IMPORT_ROWS,
    import_execute,
    import_has_failed,
    import_retry,
    import_start,
    import_task_failed,
    import_upload,
)

__all__ = [
    "ATTACHMENT_TYPES", "FIELD_NAMES", "MAX_DECIMAL_PLACES", "MAX_STORED_ERRORS", "SYNC_IMPORT_ROWS",
    "activity_create", "activity_delete", "activity_update", "balance_compute", "balance_freeze",
    "balance_key_figures_update", "balance_unfreeze",
    "balances_store_year", "calculation_error_to_validation", "factor_create", "factor_edition_create",
    "fast_insert", "import_execute", "import_has_failed", "import_retry", "import_start", "import_task_failed",
    "import_upload", "recompute_open_balances_now",
    "translate_message", "validate_activity", "validate_attachment", "year_add", "year_replace",
]
