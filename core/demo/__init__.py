"""Demo data: `concord demo seed` fills a database with a realistic, reproducible book."""
