"""Demo organisations (invented, clearly fictitious) and a member account."""

from klimapakt.core.demo import ensure_user

from .models import Membership, Organisation

DEMO_ORGANISATIONS = [
    ("Musterbäckerei Sonnenkorn GmbH", Organisation.Kind.COMPANY, Organisation.Stage.ACTIVE, "47798"),
    ("Beispiel Metallbau Rheinufer KG", Organisation.Kind.COMPANY, Organisation.Stage.ACTIVE, "47809"),
    ("Fiktiv Textilveredelung Seidenstadt AG", Organisation.Kind.COMPANY, Organisation.Stage.AGREEMENT_SUBMITTED,
     "47805"),
    ("Demo-Sportverein Grün-Weiß Krefeld e. V.", Organisation.Kind.CLUB, Organisation.Stage.INTEREST, "47800"),
]


def load(pact) -> None:
    member = ensure_user("mitglied@sonnenkorn.example", first_name="Mia", last_name="Muster")
    for name, kind, stage, plz in DEMO_ORGANISATIONS:
        org, created = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "stage": stage, "postal_code": plz, "city": pact.city,
                                 "street": "Musterstraße 1"})
        if created and name.startswith("Musterbäckerei"):
            Membership.objects.create(organisation=org, user=member, role=Membership.Role.ADMIN)
