"""The import never crashes on arbitrary cells: every row is either valid or named in an error."""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klimapakt.ghg import spreadsheet
from klimapakt.ghg.calculation import default_table

TABLE = default_table()
cells = st.one_of(st.none(), st.text(max_size=12), st.integers(-10, 10**7).map(str),
                  st.sampled_from(["2024", "natural_gas", "Erdgas", "kWh_hs", "kWh", "l", "1.234,5", "-1", "NaN"]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=8), max_size=12))
def test_validate_never_crashes_and_accounts_for_every_row(rows):
    header = {key: i for i, (key, _l, _e) in enumerate(spreadsheet.COLUMNS)}
    numbered = [(i + 2, row) for i, row in enumerate(rows)]
    result = spreadsheet.validate(header, numbered, TABLE)
    valid = {r.row for r in result.rows}
    invalid = {e.row for e in result.errors}
    for number, _row in numbered:
        assert number in valid or number in invalid


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400))
def test_reading_arbitrary_bytes_never_crashes(data):
    for name in ("x.csv", "x.xlsx"):
        try:
            spreadsheet.read_rows(io.BytesIO(b"PK" + data if name.endswith("xlsx") else data), name)
        except spreadsheet.SpreadsheetError:
            pass


def test_stray_carriage_return_in_a_csv_field_is_a_clear_error_not_a_crash():
    # found by hypothesis in CI: csv raised "new-line character seen in unquoted field"
    try:
        rows = spreadsheet.read_rows(io.BytesIO(b"a;b\r\nx\ry;1\x00\n"), "x.csv")
    except spreadsheet.SpreadsheetError as error:
        assert str(error)
    else:
        assert rows is not None
