"""DSGVO for the CO2 balance (klimapakt.core.privacy). A person's download holds the balances
of the organisations they belong to, the consumption lines they entered and the spreadsheets they
uploaded. The figures belong to the organisation and stay when the account goes (the person's
link to them is cut by SET NULL).

When the pact office removes an organisation (partners' organisation_delete / _anonymise):
its uploaded bills and spreadsheets leave the storage after commit; deleted, its rows go by the
cascade; anonymised, its balances and consumption lines stay (they count in the pact's totals)
without the files, their names and the evidence notes."""

from __future__ import annotations

from django.db import transaction

from .models import ActivityLine, Balance, ImportJob


def export(user) -> dict:
    org_ids = list(user.memberships.values_list("organisation_id", flat=True))
    balances = Balance.objects.filter(organisation_id__in=org_ids).select_related("organisation").order_by(
        "organisation__name", "year")
    return {
        "balances": [
            {"organisation": b.organisation.name, "year": b.year, "computed_at": b.computed_at.isoformat(),
             "employees": b.employees, "turnover_meur": _text(b.turnover_meur), "frozen": b.is_frozen,
             "tonnes_co2e": {key: _text(value) for key, value in b.totals().items()}}
            for b in balances],
        "activity_lines_entered": [
            {"organisation": line.organisation.name, "year": line.year, "carrier": line.carrier,
             "quantity": _text(line.quantity), "unit": line.unit, "site": line.site,
             "evidence_note": line.evidence_note, "attachment": line.attachment_name,
             "entered_at": line.created_at.isoformat()}
            for line in ActivityLine.objects.filter(created_by=user).select_related("organisation").order_by(
                "created_at", "pk")],
        "imports_uploaded": [
            {"organisation": job.organisation.name, "file": job.filename, "status": job.status,
             "rows": job.total_rows, "uploaded_at": job.created_at.isoformat()}
            for job in ImportJob.objects.filter(created_by=user).select_related("organisation").order_by(
                "created_at", "pk")],
    }


def _text(value) -> str | None:
    return None if value is None else str(value)


def _delete_files_after_commit(organisation) -> None:
    """The organisation's bills and uploaded spreadsheets leave the storage once the
    transaction commits (a rollback keeps them)."""
    files = [(ActivityLine._meta.get_field("attachment").storage, name) for name in ActivityLine.objects.filter(
        organisation=organisation).exclude(attachment="").values_list("attachment", flat=True)]
    files += [(ImportJob._meta.get_field("file").storage, name) for name in ImportJob.objects.filter(
        organisation=organisation).exclude(file="").values_list("file", flat=True)]
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name), robust=True)


def delete_organisation(organisation) -> None:
    _delete_files_after_commit(organisation)


def anonymise_organisation(organisation) -> None:
    _delete_files_after_commit(organisation)
    ActivityLine.objects.filter(organisation=organisation).update(attachment="", attachment_name="",
                                                                  evidence_note="", site="")
    ImportJob.objects.filter(organisation=organisation).delete()
