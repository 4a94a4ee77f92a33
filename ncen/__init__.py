"""ncen: the domain model, storage and services of a national customs enforcement network node.

This package knows nothing of Flask or of the exchange protocol; the web layer and the exchange
layer build on it (see DESIGN.md, section 1).
"""
