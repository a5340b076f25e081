"""The API tests' token fixtures, for the stories API tests."""

from tests.api.conftest import bearer, tokens  # noqa: F401
