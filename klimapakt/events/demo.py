import datetime

from django.utils import timezone

from .models import Event


def load(pact) -> None:
    if Event.objects.filter(pact=pact).exists():
        return
    tz = timezone.get_current_timezone()
    Event.objects.create(
        pact=pact, kind=Event.Kind.WORKSHOP, status=Event.Status.CLOSED,
        title_de="Auftaktworkshop Krefelder Klimapakt", title_en="Kick-off workshop Krefeld Climate Pact",
        starts_at=datetime.datetime(2022, 8, 8, 13, 0, tzinfo=tz), ends_at=datetime.datetime(2022, 8, 8, 17, 0, tzinfo=tz),
        venue_name="Volkshochschule Krefeld", venue_address="Von-der-Leyen-Platz 2, 47798 Krefeld", capacity=60,
    )
    today = timezone.localdate()
    for weeks, title in [(3, "Netzwerktreffen: Energiedaten erfassen"), (9, "Netzwerktreffen: Photovoltaik im Betrieb")]:
        day = today + datetime.timedelta(weeks=weeks)
        Event.objects.create(
            pact=pact, kind=Event.Kind.NETWORK_MEETING, status=Event.Status.PUBLISHED, title_de=title,
            starts_at=datetime.datetime(day.year, day.month, day.day, 16, 0, tzinfo=tz),
            ends_at=datetime.datetime(day.year, day.month, day.day, 18, 0, tzinfo=tz),
            venue_name="Rathaus Krefeld", venue_address="Von-der-Leyen-Platz 1, 47798 Krefeld", capacity=30,
        )
