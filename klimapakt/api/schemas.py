import datetime

from ninja import Schema


class ErrorItem(Schema):
    field: str | None = None
    message: str
    line: int | None = None


class ErrorOut(Schema):
    errors: list[ErrorItem]


class InitialPartnerOut(Schema):
    name: str
    short_name: str
    kind: str
    website: str


class PactOut(Schema):
    city: str
    name: str
    decided_on: datetime.date
    target_year: int
    monitoring_interval_years: int
    baseline_report_due_months: int
    first_monitoring_year: int
    monitoring_years: list[int]
    contact_email: str
    initial_partners: list[InitialPartnerOut]
