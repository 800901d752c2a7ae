"""Pages of finding partners, by subdomain: the search (``search``), a cluster's findable
members (``profiles``), contact requests (``contact``), "we look for …" posts (``wanted``) and
what the suggestions do in one click (``suggestions``)."""
