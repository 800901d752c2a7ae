"""Every write of vouchers and EU funding: keyword-only, with the actor, checked against
``funding.rules`` and audited."""
