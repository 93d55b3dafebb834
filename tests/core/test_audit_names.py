"""Every action the code writes to the audit log has a name in words, and the office's log shows
names and readable data instead of keys ("partners.agreement.signed", "publish_figures: True")."""

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from klimapakt.core.audit import _ACTION_LABELS, action_details, action_label, log_action
from klimapakt.core.transitions import TransitionTable

SOURCE = Path(__file__).resolve().parents[2] / "klimapakt"


def _table_keys() -> list[str]:
    """The audit keys of every transition table (a service logs `step.audit` of the table)."""
    for config in apps.get_app_configs():
        if config.name.startswith("klimapakt.") and importlib.util.find_spec(f"{config.name}.services"):
            importlib.import_module(f"{config.name}.services")
    return [t.audit for table in TransitionTable.instances for t in table.transitions.values() if t.audit]


def _keys(node) -> list[str]:
    """The action keys a log_action call's first argument can be: a literal, `"a" if x else "b"`,
    or the audit key of a transition table's step (`step.audit`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _keys(node.body) + _keys(node.orelse)
    if isinstance(node, ast.Attribute) and node.attr == "audit":
        return _table_keys()
    raise AssertionError(f"log_action with a key that is not written out: {ast.unparse(node)}")


def logged_actions() -> dict[str, str]:
    """{action key: "file:line"} for every log_action(...) call under klimapakt/."""
    found = {}
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name == "log_action":
                for key in _keys(node.args[0]):
                    found[key] = f"{path.relative_to(SOURCE.parent)}:{node.lineno}"
    return found


def test_the_source_scan_finds_the_actions_of_every_app():
    keys = logged_actions()
    for key in ("core.page.updated", "events.registration.created", "partners.agreement.signed",
                "partners.talk.declined", "reports.report.resubmitted", "ghg.import.done"):
        assert key in keys, key


def test_every_logged_action_has_a_name():
    missing = {key: where for key, where in logged_actions().items() if key not in _ACTION_LABELS}
    assert not missing, f"Give these actions a name (<app>/audit.py, core/audit_names.py): {missing}"


def test_names_are_words_not_keys():
    with translation.override("de"):
        for key in logged_actions():
            label = action_label(key)
            assert label != key and "." not in label and label[0].isupper(), (key, label)


@pytest.mark.django_db
def test_data_reads_as_words():
    with translation.override("de"):
        assert action_label("partners.agreement.signed") == "Vereinbarung gegengezeichnet"
        assert action_details("partners.agreement.signed", {
            "agreement": 4, "version": "2024", "signed_on": "2025-03-01", "baseline_report_due": "2026-03-01"}) == [
            ("Fassung", "2024"), ("Gegengezeichnet am", "01.03.2025"), ("Ausgangsbericht fällig am", "01.03.2026")]
        assert action_details("partners.partnership.left", {"from": "active", "reason": "Umzug"}) == [
            ("vorher", "Aktiver Klimapartner"), ("Begründung", "Umzug")]
        assert action_details("partners.organisation.updated", {"changes": {"employees": ["12", "15"]}}) == [
            ("Beschäftigte", "12 → 15")]
        assert action_details("partners.talk.declined", {"talk": 1, "scheduled_for": "2025-05-06T08:00:00Z",
                                                         "message": "", "previous": "accepted"}) == [
            ("Termin", "06.05.2025 10:00"), ("vorher", "Zugesagt")]
        assert action_details("reports.report.returned", {"organisation": 3, "version": 2,
                                                          "sections": ["balance", "measures"]}) == [
            ("Fassung", 2), ("Anmerkungen zu", "CO₂-Bilanz, Maßnahmen")]
        assert action_details("reports.consent.changed", {"publish_figures": True}) == [
            ("", "Zahlen dürfen veröffentlicht werden")]
        assert action_details("reports.measure.changed", {"organisation": 3, "status": "implemented",
                                                          "expected_t_co2e": "12.500", "from_status": "planned"}) == [
            ("Status", "Umgesetzt"), ("Erwartete Einsparung (t CO₂e pro Jahr)", "12,5"), ("vorher", "Geplant")]
        assert action_details("ghg.balance.frozen", {"year": 2024, "total_location_t": "1234.5"}) == [
            ("Jahr", 2024), ("Gesamt (standortbasiert)", "1.234,5 t CO₂e")]
        assert action_details("ghg.import.uploaded", {"filename": "a.xlsx", "rows": 1, "errors": 0}) == [
            ("Datei", "a.xlsx"), ("", "1 Zeile")]
        assert action_details("core.page.updated", {"fields": ["title_de", "body_en"]}) == [
            ("Geändert", "Titel (deutsch), Text (englisch, Markdown)")]


@pytest.mark.django_db
@pytest.mark.parametrize("language, prefix", [("de", ""), ("en", "/en")])
def test_office_log_shows_names_in_the_reader_language(world, client_for, language, prefix):
    office = world["users"]["office"]
    log_action("partners.agreement.signed", obj=world["org_a"], actor=office,
               data={"agreement": 1, "version": "2024", "signed_on": "2025-03-01"})
    log_action("reports.consent.changed", obj=world["org_a"], actor=office, data={"publish_figures": False})
    html = client_for(office).get(prefix + reverse("backoffice:audit")).content.decode()
    with translation.override(language):
        for msgid in ("Vereinbarung gegengezeichnet", "Einwilligung in die Veröffentlichung der Zahlen geändert",
                      "Zahlen werden nicht veröffentlicht", "Gegengezeichnet am"):
            assert translation.gettext(msgid) in html, msgid
    assert ">partners.agreement.signed<" not in html and "publish_figures" not in html
