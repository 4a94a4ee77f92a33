"""Conveyances: vehicles, trailers, vessels, aircraft, containers, rail wagons, postal items."""
