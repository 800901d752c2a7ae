"""Every write of missions, by subdomain: ``missions`` (missions, registrations, outcomes and
export groups), ``reminders`` (the reminder emails the daily task sends), ``meetings`` (B2B
meetings: offers and seeks, counterparts, requests, answers, follow-up), ``scheduling`` (their
times and tables) and ``meeting_emails`` (what the meeting jobs send)."""
