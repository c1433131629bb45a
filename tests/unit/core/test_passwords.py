from core.passwords import hash_password, needs_rehash, verify_password


def test_a_hashed_password_verifies_and_a_wrong_one_does_not() -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse")
    assert not verify_password(stored, "correct hors")


def test_the_same_password_hashes_differently_each_time() -> None:
    assert hash_password("pw") != hash_password("pw")


def test_a_malformed_stored_hash_is_a_failed_login_not_a_crash() -> None:
    assert not verify_password("not-a-hash", "pw")


def test_a_fresh_hash_needs_no_rehash() -> None:
    assert not needs_rehash(hash_password("pw"))
