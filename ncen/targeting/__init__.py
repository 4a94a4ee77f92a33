"""Risk profiles and targeting: a typed expression language, evaluation, back-tests, hits."""
