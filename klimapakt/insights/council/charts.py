"""The council report's charts: server-rendered SVG (the same markup in the preview and the PDF),
drawn by the house's chart helper; every chart has a table with its numbers beside it."""

from klimapakt.ghg.charts import column_chart

__all__ = ["column_chart"]
