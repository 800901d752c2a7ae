"""Every write of missions, by subdomain: ``missions`` (missions, registrations, outcomes and
export groups) and ``reminders`` (the reminder emails the daily task sends)."""
