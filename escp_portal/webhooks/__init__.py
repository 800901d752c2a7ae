"""Webhooks: integrations subscribe to events and receive signed JSON payloads (see events)."""
