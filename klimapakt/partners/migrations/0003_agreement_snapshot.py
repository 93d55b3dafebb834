"""The signed agreement becomes a document of record: `Agreement.snapshot` holds what it said on
the day of counter-signature. Agreements signed before this migration get their snapshot from
the data at hand now (the earlier state is not recorded); see docs/partners.md.

The builder is a frozen copy of `services.agreement_snapshot` (schema 1) on purpose: a data
migration must not change when the service does."""

import calendar
import datetime

from django.db import migrations, models
from django.utils import timezone


def _iso(value):
    return value.isoformat() if value is not None else None


def _baseline_due(pact, signed_on):
    month_index = signed_on.month - 1 + pact.baseline_report_due_months
    year, month = signed_on.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(signed_on.day, calendar.monthrange(year, month)[1]))


def _snapshot(agreement, now):
    organisation, version, by = agreement.organisation, agreement.version, agreement.countersigned_by
    pact, signed_on = version.pact, agreement.countersigned_on
    targets = organisation.targets.filter(archived_at__isnull=True).order_by("target_year", "pk")
    return {
        "schema": 1, "source": "migration", "taken_at": now.isoformat(),
        "pact": {"name_de": pact.name_de, "name_en": pact.name_en, "office_name_de": pact.office_name_de,
                 "office_name_en": pact.office_name_en, "contact_email": pact.contact_email,
                 "target_year": pact.target_year, "baseline_report_due_months": pact.baseline_report_due_months},
        "organisation": {"id": organisation.pk, "name": organisation.name, "legal_form": organisation.legal_form,
                         "street": organisation.street, "postal_code": organisation.postal_code,
                         "city": organisation.city},
        "version": {"id": version.pk, "label": version.label, "valid_from": _iso(version.valid_from),
                    "title_de": version.title_de, "title_en": version.title_en,
                    "text_de": version.text_de, "text_en": version.text_en},
        "signatory_name": agreement.signatory_name, "signatory_role": agreement.signatory_role,
        "accepts_obligations": agreement.accepts_obligations,
        "consents_publication": agreement.consents_publication,
        "submitted_on": _iso(timezone.localdate(agreement.submitted_at) if agreement.submitted_at else None),
        "countersigned_on": _iso(signed_on),
        "countersigned_by": (f"{by.first_name} {by.last_name}".strip() or by.email) if by else "",
        "baseline_report_due": _iso(_baseline_due(pact, signed_on)),
        "monitoring_years": list(range(pact.first_monitoring_year, pact.target_year + 1,
                                       pact.monitoring_interval_years)),
        "targets": [{"id": t.pk, "version": t.version, "base_year": t.base_year, "target_year": t.target_year,
                     "reduction_percent": None if t.reduction_percent is None else str(t.reduction_percent),
                     "reduction_t_co2e": None if t.reduction_t_co2e is None else str(t.reduction_t_co2e),
                     "scopes": t.scopes, "neutral_by": t.neutral_by, "comment": t.comment} for t in targets],
    }


def snapshot_signed_agreements(apps, schema_editor):
    Agreement = apps.get_model("partners", "Agreement")
    now = timezone.now()
    signed = Agreement.objects.filter(countersigned_on__isnull=False, snapshot__isnull=True).select_related(
        "organisation", "version__pact", "countersigned_by")
    for agreement in signed.iterator(chunk_size=500):
        agreement.snapshot = _snapshot(agreement, now)
        agreement.save(update_fields=["snapshot"])


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0002_partnership'),
    ]

    operations = [
        migrations.AddField(
            model_name='agreement',
            name='snapshot',
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name='Stand bei der Gegenzeichnung'),
        ),
        migrations.RunPython(snapshot_signed_agreements, migrations.RunPython.noop),
    ]
