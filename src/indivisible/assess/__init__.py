"""Assessment of actions: rights invoked, obligations engaged, verdicts under each reading."""
