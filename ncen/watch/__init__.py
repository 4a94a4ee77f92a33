"""Watch-lists and alerts: records, names and identifiers an analyst wants to hear about."""
