"""Test suite of phirewall: unit tests, integration tests and their support code."""
