"""The council report ("Sachstandsbericht"): the pact office's yearly report to the city council,
with the pact's public figures, its own texts, and archived PDF/XLSX exports (docs/insights.md)."""
