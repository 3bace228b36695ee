"""Every kata test runs through the dojo plugin: implementation choice, clean seeded sessions,
time limits from the catalog, learner-readable failures, the results file."""
pytest_plugins = ["dojo.plugin"]
