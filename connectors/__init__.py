"""Source connectors: one module per method, the vendor catalogue and the Connector contract."""
