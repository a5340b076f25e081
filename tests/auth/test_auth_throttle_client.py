"""What Client.of reads from a request: the email trimmed and in lower case (at most 320 characters, '' when
missing), the address (at most 64, 'unknown' when missing) and the device nonce (at most 64, '' by default)."""

from __future__ import annotations

from tracker.auth.throttle import Client


def test_the_email_is_trimmed_and_lower_cased():
    assert Client.of("  Reporter@Test.EXAMPLE ", "203.0.113.9").email == "reporter@test.example"


def test_a_missing_email_is_empty():
    assert Client.of(None, "203.0.113.9").email == ""


def test_a_missing_address_is_unknown():
    assert Client.of("a@test.example", "").address == "unknown"
    assert Client.of("a@test.example", None).address == "unknown"


def test_without_a_device_cookie_the_device_is_empty():
    assert Client.of("a@test.example", "203.0.113.9").device == ""


def test_each_field_is_cut_to_its_column_length():
    client = Client.of("a" * 400, "1" * 100, "d" * 100)
    assert (len(client.email), len(client.address), len(client.device)) == (320, 64, 64)
