"""Demo data: `concord demo seed` fills a database with a realistic, reproducible book."""

# The seed `concord up` and `concord demo seed` both default to, so `demo seed --reset` (which
# `up` suggests) gives back the logins `up` printed. Kept here, light, for the CLI to import.
DEMO_SEED = 7
