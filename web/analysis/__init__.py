"""Analysis pages: statistics, link charts, timelines. Each module is a blueprint with its own
``init_app``, listed in `web.create_app`."""
