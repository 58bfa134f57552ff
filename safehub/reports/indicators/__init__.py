"""Performance indicators, one module each: its rows (frozen dataclasses), the query that makes
them and their CSV. The HTML table and the CSV export share the same rows (STYLE.md §4.13)."""
