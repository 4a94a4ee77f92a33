"""Analysis of the records: statistics rollups, the entity graph and its measures, timelines and
picture similarity. Each module holds one idea; none imports Flask."""
