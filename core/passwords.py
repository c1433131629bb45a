"""Password hashing with argon2 (argon2-cffi), shared by the demo seed and the console login.

One place decides the algorithm and its parameters, so a login can tell a hash made with older
parameters (`needs_rehash`) and upgrade it on the next successful sign-in.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    # argon2-cffi's defaults follow RFC 9106's recommended low-memory profile.
    return PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash (salted, with its parameters) to store in User.password_hash."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; a wrong password or a malformed hash is simply False."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's; rehash after login."""
    return _hasher().check_needs_rehash(password_hash)
