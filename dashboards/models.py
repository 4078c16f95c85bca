"""No tables of its own: the dashboard reads `feedback.MonthlySlice` (and raw
responses for services and comments) and caches what it computed."""
