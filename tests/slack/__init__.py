"""Test support for the Slack app: a stand-in for Slack, and the real app
running on loopback against it."""
