"""Dashboard and reports; exports of what people said (CSV, XLSX) as background tasks."""
