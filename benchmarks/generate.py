"""Synthetic data for the benchmarks: organisations, people, memberships and audit entries.
App modules in benchmarks/apps/ add their own data on top."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

SCALES = {"small": {"organisations": 100}, "large": {"organisations": 2000}, "xl": {"organisations": 20_000}}


@dataclass
class Context:
    scale: str
    pact: object
    rng: random.Random
    org_ids: list[int] = field(default_factory=list)
    users: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


SECTORS = "ABCDEFGHIJKLMNOPQRS"
WORDS = ["Bäckerei", "Metallbau", "Textil", "Druckerei", "Logistik", "Elektro", "Brauerei", "Software",
         "Maschinenbau", "Gartenbau", "Chemie", "Autohaus", "Tischlerei", "Hotel", "Praxis", "Verein"]


def generate_core(ctx: Context) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from klimapakt.core.models import AuditEntry, User
    from klimapakt.partners.models import Membership, Organisation

    n = SCALES[ctx.scale]["organisations"]
    password = make_password("bench-password")
    office = User.objects.create(email="office@bench.example", password=password, is_pact_office=True)
    member = User.objects.create(email="member@bench.example", password=password)
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True)
                                      for u in (office, member)])
    stages = [s for s, _ in Organisation.Stage.choices]
    fields = {f.name for f in Organisation._meta.get_fields()}
    orgs = []
    for i in range(n):
        org = Organisation(name=f"{ctx.rng.choice(WORDS)} {i:05d} GmbH", postal_code="47798", city="Krefeld",
                           stage=stages[i % len(stages)] if i % 3 else Organisation.Stage.ACTIVE,
                           employees=ctx.rng.randint(1, 500), street=f"Musterweg {i}")
        if "sector" in fields:
            org.sector = ctx.rng.choice(SECTORS)
        orgs.append(org)
    Organisation.objects.bulk_create(orgs, batch_size=1000)
    ctx.org_ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    people = User.objects.bulk_create([User(email=f"person{i}@bench.example", password=password)
                                       for i in range(n)], batch_size=1000)
    Membership.objects.bulk_create(
        [Membership(organisation_id=ctx.org_ids[0], user=member, role=Membership.Role.ADMIN)]
        + [Membership(organisation_id=oid, user=p, role=Membership.Role.ADMIN) for oid, p in zip(ctx.org_ids, people, strict=False)],
        batch_size=1000, ignore_conflicts=True)
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Organisation)
    now = timezone.now()
    bulk_insert(
        [AuditEntry(action="partners.organisation.created", actor=office, content_type=ct, object_id=str(oid),
                    object_repr=f"Org {oid}", created_at=now, data={}) for oid in ctx.org_ids * 5])
    ctx.users = {"office": office, "member": member}


def core_pages(ctx: Context) -> list[dict]:
    return [
        {"name": "home", "url": "/", "user": None},
        {"name": "partner dashboard", "url": "/mein-bereich/", "user": "member"},
        {"name": "back office start", "url": "/geschaeftsstelle/", "user": "office"},
    ]


def scaled(ctx: Context, small, large, xl=None):
    """A generator's number per scale: xl defaults to ten times the large one."""
    if ctx.scale == "small":
        return small
    if ctx.scale == "large":
        return large
    if xl is not None:
        return xl
    return tuple(v * 10 for v in large) if isinstance(large, tuple) else large * 10


def bulk_insert(objects, *, batch_size: int = 5000) -> list:
    """Insert unsaved model instances of one model. On PostgreSQL through COPY (the xl scale
    writes millions of rows; bulk_create's INSERTs took minutes), with primary keys taken from
    the table's sequence beforehand, so the instances have their pk afterwards as with
    bulk_create. Elsewhere bulk_create. Returns the objects."""
    from django.db import connection

    objects = list(objects)
    if not objects:
        return objects
    model = type(objects[0])
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects, batch_size=batch_size)
    meta = model._meta
    fields = [f for f in meta.concrete_fields]
    pk = meta.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + len(objects) - 1])
        for offset, obj in enumerate(objects):
            setattr(obj, pk.attname, first + offset)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    return objects


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY plain tuples (values of ``columns``, by field name) into the model's table on
    PostgreSQL; every other column gets its field's default. For the millions of rows of the xl
    scale, where even building model instances takes minutes. Returns the number of rows."""
    from django.db import connection

    fields = {f.name: f for f in model._meta.concrete_fields}
    given = [fields[c] for c in columns]
    rest = [f for f in fields.values() if f.name not in columns and not f.primary_key]
    constants = [f.get_db_prep_save(f.get_default(), connection) for f in rest]
    names = ", ".join(connection.ops.quote_name(f.column) for f in [*given, *rest])
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, *constants))
                count += 1
    return count
