"""Fixtures for the dialer service on the real Asterisk; the machinery lives in dialer_rig.py."""

from dialer_rig import floor, rig

__all__ = ["floor", "rig"]
