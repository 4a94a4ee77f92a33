"""Personal API tokens: the table (`models`) and the use cases (`services`)."""
