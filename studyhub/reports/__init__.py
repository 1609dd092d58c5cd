"""Reports: the annual figures with the list behind each, study totals, item analysis,
exports. Queries are SQL aggregations built as ``Select`` statements."""
