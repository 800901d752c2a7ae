"""``brokers/``, ``opportunities/`` (``brokers``), ``investor-contacts/`` and
``investment-projects/`` (``investment``)."""
