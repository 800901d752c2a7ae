"""The API of finding partners: ``partner-search/`` (``search``), ``findable-profiles/``
(``profiles``), ``contact-requests/`` and ``partner-requests/`` (``requests``)."""
