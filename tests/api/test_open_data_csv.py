"""The open-data CSV (/api/v1/partners?format=csv): text typed by organisations never becomes a
formula in a spreadsheet (attack pass, issue 11: an organisation renamed to =HYPERLINK(…)).
Every cell goes through the shared export rule, core.spreadsheet.csv_cell."""

import csv
import datetime
import io

import pytest

from klimapakt.partners.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","klick")', "+cmd|' /C calc'!A0",
                                  "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1"])
def test_organisation_name_is_not_a_formula_in_the_open_data_csv(client, pact, name):
    Organisation.objects.create(name=name, stage=Organisation.Stage.ACTIVE, listing_consent=True,
                                partner_since=datetime.date(2024, 1, 1), website="=WEBSERVICE(\"http://x\")")
    response = client.get("/api/v1/partners", {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert [row["name"] for row in rows] == ["'" + name]
    assert rows[0]["website"] == "'=WEBSERVICE(\"http://x\")"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
