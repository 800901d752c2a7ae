"""The administration site holds none of this app's models: missions, registrations, outcomes
and export groups are written through the services (``missions.services``), which check the
rules and keep the audit trail; staff use the pages and the API like everyone else."""
