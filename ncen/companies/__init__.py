"""Companies: names, registration and tax numbers, AEO status, and the persons behind them."""
