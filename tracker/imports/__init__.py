"""CSV import of a tracking spreadsheet, and CSV and JSON export of requests."""
