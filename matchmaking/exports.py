"""No downloads, on purpose: findable profiles are shown one search page at a time to the people
looking for partners, as their clusters' managers consented to; a file of them would leave that
consent behind (and a million rows of it, the whole table). Contacts pass through contact
requests only."""
