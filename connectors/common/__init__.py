"""What the connectors share: CSV files and SQL, headers, values, HTTP, paging, OAuth, checks."""
