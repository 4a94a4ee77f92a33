"""The exchange's rules and features, on top of the format and the network.

Peer registry and trust (`trust`), the sharing policy (`policy`) and seizures' distribution
marks (`distribution`), retractions (`retractions`), requests for information (`rfi`), hit
checks (`hitcheck`), the CEN export (`cen_export`), the exchange panels of the desk (`desk`) and
admission control of the peer endpoint (`admission`).
"""
