"""Rules of the console: access, the screen pop, outcomes and dispositions (no I/O gateways)."""
