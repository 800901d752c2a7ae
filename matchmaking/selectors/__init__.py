"""Reads of finding partners: the search (``search``, with ``reasons``), contact requests and
posts (``requests``) and the suggestions (``suggestions``). No writes."""
